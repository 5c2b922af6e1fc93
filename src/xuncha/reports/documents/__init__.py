"""Official documents: the GB/T 9704-2012 default Word templates, the template sandbox, Word
and Excel rendering, and the validation of uploaded templates."""
