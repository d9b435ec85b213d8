"""Renderers: Brief -> .docx and .pdf, and many Briefs -> one pack."""
