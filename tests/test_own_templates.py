"""The user's own Word templates: a logo in reference.docx's header or footer reaches
every section of the output, and a reference.docx saved by another word processor (whose
style ids differ) is used by its styles' names; one lacking a style is refused by name."""

from __future__ import annotations

import io
import shutil

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm

from briefpack import paths
from briefpack.errors import BriefpackError
from briefpack.render.docx import render_docx
from briefpack.render.docx.styles import STYLE_NAMES

from fixtures_briefs import sample_pack

R_EMBED = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"


def _png(colour: tuple[int, int, int]) -> io.BytesIO:
    from PIL import Image

    image = io.BytesIO()
    Image.new("RGB", (40, 20), colour).save(image, format="PNG")
    image.seek(0)
    return image


@pytest.fixture
def template_dir(tmp_path):
    folder = tmp_path / "mytpl"
    folder.mkdir()
    shutil.copy(paths.templates_dir() / "standard" / "reference.docx", folder)
    return folder


def _add_logos(reference) -> None:
    """A logo in the header and an image in the footer, as a user adds them in Word."""
    document = docx.Document(str(reference))
    section = document.sections[0]
    section.header.paragraphs[0].add_run().add_picture(_png((0, 80, 160)), width=Mm(20))
    section.footer.paragraphs[-1].add_run().add_picture(_png((200, 0, 0)), width=Mm(10))
    document.save(str(reference))


def _rename_style_ids(reference, renames: dict[str, str]) -> None:
    """Style ids changed as LibreOffice changes them on saving (names kept)."""
    document = docx.Document(str(reference))
    for part in document.part.package.iter_parts():
        element = getattr(part, "element", None)
        for node in element.iter() if element is not None else ():
            for attribute in (qn("w:styleId"), qn("w:val")):
                if node.get(attribute) in renames and (
                        attribute == qn("w:styleId") or node.tag != qn("w:name")):
                    node.set(attribute, renames[node.get(attribute)])
    document.save(str(reference))


def test_a_logo_in_the_header_and_an_image_in_the_footer_reach_every_section(template_dir,
                                                                             tmp_path):
    _add_logos(template_dir / "reference.docx")
    out = tmp_path / "pack.docx"
    render_docx(sample_pack(), out, template_dir=template_dir)
    document = docx.Document(str(out))
    parts = [getattr(section, name).part for section in document.sections
             for name in ("header", "first_page_header", "even_page_header", "footer",
                          "first_page_footer", "even_page_footer")]
    assert len({id(part) for part in parts}) == len(parts) > 6  # a part per section each
    for part in parts:
        pictures = [node.get(R_EMBED) for node in part.element.iter(qn("a:blip"))]
        assert len(pictures) == 1, part.partname
        related = part.rels[pictures[0]]
        assert related.reltype == RT.IMAGE and related.target_part.blob.startswith(
            b"\x89PNG"), part.partname


def test_a_template_whose_style_ids_differ_is_used_by_its_styles_names(template_dir,
                                                                       tmp_path):
    # LibreOffice's renames, and a localised Word's; "Caption" is then its own style
    renames = {"Marking": "ProtectiveMarking", "TOC1": "Contents1", "TOCHeading":
               "ContentsHeading", "Heading1": "berschrift1", "Caption": "Caption1"}
    reference = template_dir / "reference.docx"
    _rename_style_ids(reference, renames)
    document = docx.Document(str(reference))
    own = parse_xml(f'<w:style {nsdecls("w")} w:type="paragraph" w:styleId="Caption">'
                    '<w:name w:val="Caption"/></w:style>')
    document.styles.element.append(own)  # LibreOffice's own "Caption", id Caption
    document.save(str(reference))
    out = tmp_path / "pack.docx"
    render_docx(sample_pack(), out, template_dir=template_dir)
    result = docx.Document(str(out))
    ids = {s.style_id: s.name for s in result.styles}
    for style_id in ("Marking", "TOC1", "TOCHeading", "Heading1", "Caption"):
        assert ids[style_id].casefold() == STYLE_NAMES[style_id].casefold()
    used = {p.style.style_id for p in result.paragraphs}
    assert {"Heading1", "TOCHeading"} <= used
    markings = [p for s in result.sections for p in s.header.paragraphs
                if p.style.name == "Protective Marking"]
    assert markings  # the header's marking paragraph follows the rename too
    assert ids["Caption2"] == "Caption"  # the template's own moved aside, kept


def test_a_template_lacking_styles_is_refused_naming_them(template_dir, tmp_path):
    reference = template_dir / "reference.docx"
    document = docx.Document(str(reference))
    for style_id in ("CalloutRag", "BriefTable"):
        element = document.styles.element.find(
            f"{qn('w:style')}[@{qn('w:styleId')}='{style_id}']")
        element.getparent().remove(element)
    document.save(str(reference))
    with pytest.raises(BriefpackError, match=r"reference\.docx lacks the styles "
                                             r"'Callout RAG', 'Brief Table'"):
        render_docx(sample_pack(), tmp_path / "pack.docx", template_dir=template_dir)

