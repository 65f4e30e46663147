"""Form helpers shared by every feature's forms."""
from wtforms.validators import StopValidation

__all__ = ["Required"]


class Required:
    """DataRequired with our message: the field is empty when it holds
    nothing, only spaces or an empty list. Silent when the field already
    failed to parse (one message per field). `flag=False` leaves out the
    HTML `required` flag, for fields of optional rows."""

    def __init__(self, message, flag=True):
        self.message = message
        self.field_flags = {"required": True} if flag else {}

    def __call__(self, form, field):
        if field.process_errors:
            raise StopValidation()
        data = field.data
        if data is None or data == [] or (isinstance(data, str) and not data.strip()):
            raise StopValidation(self.message)
