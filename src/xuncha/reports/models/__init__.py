from xuncha.reports.models.documents import DocType, DocumentTemplate, GeneratedDocument
from xuncha.reports.models.feedback import Feedback, FeedbackCopy, FeedbackMeeting
from xuncha.reports.models.report import ApprovalChain, DocKind, Report, ReportStep, ReportVersion

__all__ = ["ApprovalChain", "DocKind", "DocType", "DocumentTemplate", "Feedback", "FeedbackCopy", "FeedbackMeeting",
           "GeneratedDocument", "Report", "ReportStep", "ReportVersion"]
