"""Issue 20 (data lost): a readout's actions have an identity (visit + key). Another
visit's readout with the same words never takes over this visit's action, and running a
readout again never reverts what the user changed in the store since."""

from __future__ import annotations

import dataclasses
import datetime as dt

from briefpack import model
from briefpack.readout import apply_readout

AFTER = dt.date(2026, 12, 1)


def _visit(store, title: str, start: dt.date, *actions: model.ReadoutAction) -> model.Visit:
    visit = model.Visit(title=title, principal="Minister for the Armed Forces", start=start,
                        end=start + dt.timedelta(days=1), countries=("NOR",),
                        actions=actions)
    return store.save_visit(visit, user="planner")


def _actions(store) -> list[model.Action]:
    return [a for a in store.records("actions", "NOR") if a.action == "Send the work plan"]


def test_a_second_visit_with_the_same_action_words_does_not_take_over_the_first(
        sample_store):
    first = _visit(sample_store, "Spring visit", dt.date(2026, 3, 2),
                   model.ReadoutAction("Send the work plan", owner="Private Office",
                                       due=dt.date(2026, 4, 1)))
    second = _visit(sample_store, "Autumn visit", dt.date(2026, 10, 5),
                    model.ReadoutAction("Send the work plan", owner="Policy team",
                                        due=dt.date(2026, 11, 30)))
    apply_readout(sample_store, first, user="a", today=AFTER)
    [spring] = _actions(sample_store)
    apply_readout(sample_store, second, user="b", today=AFTER)

    actions = {a.raised_at: a for a in _actions(sample_store)}
    assert set(actions) == {"Spring visit", "Autumn visit"}
    assert actions["Spring visit"] == spring  # owner, due date, "raised at" untouched
    assert (actions["Autumn visit"].owner, actions["Autumn visit"].due) == (
        "Policy team", dt.date(2026, 11, 30))


def test_a_rerun_keeps_what_the_user_changed_and_applies_what_the_readout_changed(
        sample_store):
    visit = _visit(sample_store, "Spring visit", dt.date(2026, 3, 2),
                   model.ReadoutAction("Send the work plan", owner="Private Office",
                                       due=dt.date(2026, 4, 1)))
    apply_readout(sample_store, visit, user="a", today=AFTER)
    [action] = _actions(sample_store)
    sample_store.save(dataclasses.replace(action, status="done"), user="desk.officer")

    # the readout is run again, unchanged: idempotent, the user's "done" stays
    again = apply_readout(sample_store, visit, user="a", today=AFTER)
    [now] = _actions(sample_store)
    assert (now.id, now.status) == (action.id, "done")
    assert len(again.actions) == 1
    # the readout now gives a new owner and says open: the owner moves, "done" stays
    changed = dataclasses.replace(visit, actions=(dataclasses.replace(
        visit.actions[0], owner="Policy team"),))
    result = apply_readout(sample_store, changed, user="a", today=AFTER)
    [now] = _actions(sample_store)
    assert (now.id, now.owner, now.status) == (action.id, "Policy team", "done")
    assert [(c.field, c.theirs) for c in result.kept] == []  # status unchanged in readout
    reopened = dataclasses.replace(changed, actions=(dataclasses.replace(
        changed.actions[0], status="dropped"),))
    result = apply_readout(sample_store, reopened, user="a", today=AFTER)
    assert [(c.field, c.theirs) for c in result.kept] == [("status", "done")]
    assert "Kept 1 value(s)" in result.summary()
    assert _actions(sample_store)[0].status == "done"


def test_an_action_with_a_key_keeps_its_record_when_its_words_change(sample_store):
    visit = _visit(sample_store, "Spring visit", dt.date(2026, 3, 2),
                   model.ReadoutAction("Send the work plan", key="plan"))
    apply_readout(sample_store, visit, today=AFTER)
    [action] = _actions(sample_store)
    reworded = dataclasses.replace(visit, actions=(model.ReadoutAction(
        "Send the work plan and the annex", key="plan"),))
    apply_readout(sample_store, reworded, today=AFTER)
    now = sample_store.get("actions", action.id)
    assert now.action == "Send the work plan and the annex"
    assert len([a for a in sample_store.records("actions", "NOR")
                if a.raised_at == "Spring visit"]) == 1


def test_an_action_the_user_deleted_stays_deleted_on_a_rerun(sample_store):
    visit = _visit(sample_store, "Spring visit", dt.date(2026, 3, 2),
                   model.ReadoutAction("Send the work plan"))
    apply_readout(sample_store, visit, today=AFTER)
    [action] = _actions(sample_store)
    sample_store.delete("actions", action.id, user="desk.officer")
    result = apply_readout(sample_store, visit, today=AFTER)
    assert _actions(sample_store) == []
    assert result.left_deleted == 1 and "Left 1 deleted" in result.summary()


def test_the_engagement_of_a_rerun_keeps_the_users_description(sample_store):
    visit = _visit(sample_store, "Spring visit", dt.date(2026, 3, 2),
                   model.ReadoutAction("Send the work plan"))
    visit = dataclasses.replace(visit, outcomes=(model.Outcome("1", "Agreed."),))
    [engagement] = apply_readout(sample_store, visit, today=AFTER).engagements
    sample_store.save(dataclasses.replace(engagement, description="Written up by hand"))
    [again] = apply_readout(sample_store, visit, today=AFTER).engagements
    assert (again.id, again.description) == (engagement.id, "Written up by hand")


def test_a_visit_read_out_from_its_file_then_from_the_store_keeps_its_action(sample_store):
    unsaved = model.Visit(title="Spring visit", principal="Minister", start=dt.date(2026, 3, 2),
                          end=dt.date(2026, 3, 3), countries=("NOR",),
                          actions=(model.ReadoutAction("Send the work plan"),))
    apply_readout(sample_store, unsaved, today=AFTER)  # briefpack readout VISIT.yaml
    [action] = _actions(sample_store)
    sample_store.save(dataclasses.replace(action, status="done"))
    saved = sample_store.save_visit(unsaved)  # then saved, and read out in the app
    apply_readout(sample_store, saved, today=AFTER)
    assert [(a.id, a.status) for a in _actions(sample_store)] == [(action.id, "done")]


def test_an_actions_key_is_written_to_and_read_from_the_visit_file(sample_store):
    from briefpack.visits import dump_visit, loads_visit

    visit = model.Visit(title="Spring visit", principal="Minister", start=dt.date(2026, 3, 2),
                        end=dt.date(2026, 3, 3), countries=("NOR",),
                        actions=(model.ReadoutAction("Send the work plan", key="plan",
                                                     due=dt.date(2026, 4, 1)),))
    text = dump_visit(visit, sample_store)
    assert "key: plan" in text
    assert loads_visit(text, sample_store).actions == visit.actions
