"""The CLI's exit codes, each with what it means (README and ``briefpack --help`` list them);
a module of its own so the top-level help needs no more than this (``errors`` re-exports it)."""

EXIT_CODES: dict[int, str] = {
    0: "done",
    1: "not done, nothing changed: e.g. conflicts to settle with --prefer",
    2: "usage: a bad command line, option value, or unknown country, region or template",
    3: "bad data: an input file has problems (each named with file, line and field)",
    4: "input/output: a file or the store could not be read or written (a full disk, a "
       "file open in another program, no permission)",
    5: "refused: the request breaks a rule (a marking briefpack may not hold, a store in "
       "use or changed meanwhile, a backup that fails its check, the store as an output)",
    130: "interrupted (Ctrl+C)",
}
