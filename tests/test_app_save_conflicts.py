"""Issue 20 (data lost): the app's saves are change sets; a field changed elsewhere is a
conflict the user settles (keep mine / take theirs, per field), never overwritten unseen."""

from __future__ import annotations

import dataclasses

from PySide6.QtWidgets import QDialogButtonBox

from briefpack.app import domain
from briefpack.app.conflict_dialog import ConflictDialog
from briefpack.app.save_conflicts import keep_unsaved, save
from briefpack.app.table_models import AgreementsModel


def _two_agreements(store):
    return store.records("agreements", "FRA")[:2]


def _conflicting_save(store, ask):
    first, second = _two_agreements(store)
    store.save(dataclasses.replace(first, commits="Theirs"), user="other")
    store.save(dataclasses.replace(second, commits="Theirs too"), user="other")
    changes = domain.record_changes([
        (first, dataclasses.replace(first, commits="Mine", kind="treaty")),
        (second, dataclasses.replace(second, commits="Mine too"))])
    return first, second, save(store, changes, user="me", ask=ask)


def test_keep_mine_for_one_field_and_take_theirs_for_another(sample_store):
    asked = []

    def ask(conflicts):
        asked.append([(c.key, c.field, c.mine, c.theirs) for c in conflicts])
        return {conflicts[0].conflict_key: "mine", conflicts[1].conflict_key: "theirs"}

    first, second, outcome = _conflicting_save(sample_store, ask)
    assert asked == [[(first.id, "commits", "Mine", "Theirs"),
                      (second.id, "commits", "Mine too", "Theirs too")]]
    assert sample_store.get("agreements", first.id).commits == "Mine"
    assert sample_store.get("agreements", first.id).kind == "treaty"  # no conflict: saved
    assert sample_store.get("agreements", second.id).commits == "Theirs too"
    assert (len(outcome.kept_mine), len(outcome.took_theirs), outcome.unsettled) == (1, 1, [])
    assert "kept yours for 1" in outcome.message()


def test_a_value_changed_again_while_the_user_chose_is_asked_about_again(sample_store):
    calls = []

    def ask(conflicts):
        calls.append([c.theirs for c in conflicts])
        if len(calls) == 1:  # meanwhile, another process changes it once more
            sample_store.save(dataclasses.replace(
                sample_store.get("agreements", conflicts[0].key), commits="Third"),
                user="third")
        return {c.conflict_key: "mine" for c in conflicts}

    first, _, _ = _conflicting_save(sample_store, ask)
    assert calls[0] == ["Theirs", "Theirs too"] and calls[1] == ["Third"]
    assert sample_store.get("agreements", first.id).commits == "Mine"


def test_cancel_leaves_the_values_typed_here_unsaved_and_checked_again(sample_store, qtbot):
    first, second = _two_agreements(sample_store)
    records = AgreementsModel(country="FRA")
    records.set_rows(sample_store.records("agreements", "FRA"))
    row = next(i for i, r in enumerate(records.records()) if r.id == first.id)
    records.set_fields(row, {"commits": "Mine"})
    sample_store.save(dataclasses.replace(first, commits="Theirs"), user="other")

    outcome = save(sample_store, domain.record_changes(records.change_pairs()), user="me",
                   ask=lambda conflicts: None)
    assert [c.field for c in outcome.unsettled] == ["commits"]
    assert sample_store.get("agreements", first.id).commits == "Theirs"
    # the window shows the store again, with the unsettled value still pending
    records.set_rows(sample_store.records("agreements", "FRA"))
    keep_unsaved({"agreements": records}, outcome.unsettled)
    assert records.has_pending()
    assert records.record(row).commits == "Mine"
    [(loaded, now)] = records.change_pairs()
    assert (loaded.commits, now.commits) == (first.commits, "Mine")
    again = save(sample_store, domain.record_changes(records.change_pairs()), user="me",
                 ask=lambda conflicts: {c.conflict_key: "mine" for c in conflicts})
    assert again.unsettled == [] and len(again.kept_mine) == 1
    assert sample_store.get("agreements", first.id).commits == "Mine"


def test_the_conflict_dialog_saves_only_once_every_field_has_a_choice(sample_store, qtbot):
    first, second = _two_agreements(sample_store)
    sample_store.save(dataclasses.replace(first, commits="Theirs"), user="other")
    result = domain.save_changes(sample_store, domain.record_changes(
        [(first, dataclasses.replace(first, commits="Mine"))]), user="me")
    sample_store.delete("agreements", second.id, user="other")
    result.conflicts += domain.save_changes(sample_store, domain.record_changes(
        [(second, dataclasses.replace(second, commits="Mine too"))]), user="me").conflicts
    dialog = ConflictDialog(result.conflicts, {"FRA": "France"})
    qtbot.addWidget(dialog)
    save_button = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert not save_button.isEnabled()
    changed, deleted = result.conflicts
    tree = dialog.model
    texts = [tree.data(tree.index_of(c.conflict_key)) for c in result.conflicts]
    assert "Changed: " in texts[0] and "deleted from the store" in texts[1]
    assert dialog.choose(changed.conflict_key, "mine")
    assert not save_button.isEnabled()
    assert dialog.choose(deleted.conflict_key, "theirs")
    assert save_button.isEnabled()
    assert dialog.choices() == {changed.conflict_key: "mine", deleted.conflict_key: "theirs"}
    # the field's row shows the store's value beside the one typed here
    node = tree.index_of(changed.conflict_key)
    field_row = tree.index(0, 0, node)
    assert [tree.data(tree.index(0, col, node)) for col in (2, 3)] == ["Theirs", "Mine"]
    assert tree.data(field_row) == "What it commits"


def _planner(qtbot, store, visit):
    from PySide6.QtGui import QUndoStack

    from briefpack.app.visit_planner import VisitPlanner

    planner = VisitPlanner(QUndoStack())
    qtbot.addWidget(planner)
    planner.set_choices(store.countries(), ["standard"], {})
    planner.load_visit(visit)
    return planner


def test_a_visit_edited_in_two_planners_keeps_both_and_asks_about_the_same_field(
        sample_store, qtbot):
    import datetime as dt

    from briefpack import model
    from briefpack.app.save_conflicts import save_visit

    stored = sample_store.save_visit(model.Visit(
        title="Two windows", principal="Minister", start=dt.date(2026, 3, 2),
        end=dt.date(2026, 3, 3), countries=("NOR",)), user="setup")
    one, two = _planner(qtbot, sample_store, stored), _planner(qtbot, sample_store, stored)
    one.purpose.setPlainText("Purpose from window one")
    one.owning_team.setText("Team one")
    saved, outcome = save_visit(sample_store, one.loaded, one.visit(), user="one",
                                ask=lambda c: {})
    one.mark_saved(saved)
    assert outcome.unsettled == [] and not one.dirty

    two.title.setText("Renamed in window two")
    two.owning_team.setText("Team two")
    saved, outcome = save_visit(sample_store, two.loaded, two.visit(), user="two",
                                ask=lambda c: None)
    assert [(c.field, c.mine, c.theirs) for c in outcome.unsettled] == [
        ("owning_team", "Team two", "Team one")]
    assert (saved.title, saved.purpose, saved.owning_team) == (
        "Renamed in window two", "Purpose from window one", "Team one")
    two.keep_unsaved(saved, {c.field: (c.loaded, c.mine) for c in outcome.unsettled})
    assert two.dirty and two.owning_team.text() == "Team two"
    assert two.draft().purpose == "Purpose from window one"
    # saved again later: still a conflict, until the user keeps theirs or mine
    again, outcome = save_visit(sample_store, two.loaded, two.visit(), user="two",
                                ask=lambda c: {x.conflict_key: "mine" for x in c})
    assert outcome.unsettled == [] and len(outcome.kept_mine) == 1
    assert (again.owning_team, again.purpose) == ("Team two", "Purpose from window one")
