from xuncha.intake.models.complaints import (
    Complaint,
    ComplaintAttachment,
    ComplaintMessage,
    ComplaintStep,
    IdentityAccess,
)
from xuncha.intake.models.throttle import Throttle

__all__ = ["Complaint", "ComplaintAttachment", "ComplaintMessage", "ComplaintStep", "IdentityAccess", "Throttle"]
