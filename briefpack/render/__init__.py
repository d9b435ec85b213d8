"""Renderers: a Brief (a country brief or a whole pack) -> .docx (``render.docx``) and
.pdf (``render.pdf``); each decides how blocks look, never what they say."""
