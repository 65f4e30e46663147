"""Who reaches the reports.

The director and the services organiser read every report; the community
organiser reads the community part (events and their head counts, the
catalogue's use). Nobody else reaches any: not the front desk, the
coordinators or the administrator.
"""
from ..auth.models import Role

REPORT_ROLES = (Role.SERVICES_ORGANISER, Role.DIRECTOR, Role.COMMUNITY_ORGANISER)
# Every report (the front desk's, the plans', the services', the providers').
FULL_ROLES = (Role.SERVICES_ORGANISER, Role.DIRECTOR)
# The community part only.
COMMUNITY_ROLES = REPORT_ROLES
