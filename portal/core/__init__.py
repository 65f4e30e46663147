"""The base layer every feature builds on.

This package imports no feature package (nothing from portal.desk,
portal.plans, portal.residents, …); every feature may import it. Besides the
standard library and third-party libraries it uses only portal.extensions,
portal.timeutil, portal.i18n, portal.validation, portal.text and portal.layers, which
import no feature either (portal/layers.py, tests/core/test_layers.py).

Modules:
- errors: the one hierarchy of domain errors services raise (DomainError,
  DataError tied to a field, VersionConflict, NotAllowed, Frozen,
  TransitionError);
- forms: form helpers shared by every feature's forms (Required);
- deadlines: the legal clock (30 days from the request in Warsaw days,
  one-year validity, monitoring contacts, the call-back after one working
  day, on-track / due soon / overdue);
- holidays: Poland's public holidays and working days;
- hooks: named hooks through which a lower layer asks what only a higher
  one knows (the higher features register the receivers);
- pagination: the Page of a paginated list (from a select or a list) and
  the page number read from the query string;
- problems: RFC 9457 problem-details JSON bodies for clients that ask for
  JSON instead of an HTML error page.
"""
