"""Intake: complaints (信访举报) by letter, call, visit and online, informants' identities encrypted
at rest; the public portal with announcements, disclosures and the complaint form with receipts."""
