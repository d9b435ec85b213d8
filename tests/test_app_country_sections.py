"""The planner's per-country editors carry over what they do not show (press Q&A)."""

from PySide6.QtGui import QUndoStack

from briefpack import model
from briefpack.app.country_sections import CountrySections


def test_a_country_section_keeps_press_questions_it_does_not_show(qtbot):
    sections = CountrySections(QUndoStack())
    qtbot.addWidget(sections)
    sections.set_countries(("NOR",), {"NOR": "Norway"})
    loaded = model.CountryContent(
        country="NOR", purpose="Test purpose.", points_to_make=("A test point.",),
        press_qa=(model.PressQuestion("A test question?", "A test answer."),))
    sections.load((loaded,))

    editor = sections.editors["NOR"]
    editor.lists["points_to_make"].setPlainText("A test point.\nA second test point.")

    (saved,) = sections.sections()
    assert saved.press_qa == loaded.press_qa
    assert saved.points_to_make == ("A test point.", "A second test point.")
    assert saved.purpose == "Test purpose."


def test_an_untouched_blank_section_is_left_out(qtbot):
    sections = CountrySections(QUndoStack())
    qtbot.addWidget(sections)
    sections.set_countries(("NOR",), {"NOR": "Norway"})
    assert sections.sections() == ()
