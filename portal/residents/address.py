"""A person's postal address.

The register keeps the street (or the village, where a village has no street
names: "Glinne 45") and the house number together in `address_1`
("ul. Leśna 12/3"), the postal code and the town of the post office apart.
The forms ask for the street and the house number separately, so that a
number is not forgotten ("Adres: Glinne" on a signed plan), and join them
with one space; a stored value splits back where the rest of it reads as
a house number ("Aleja 3 Maja 5 m. 7": "Aleja 3 Maja" and "5 m. 7"), so a
round trip never changes it.
"""
import re

from flask_babel import gettext as _

# "12", "12a", "12 A", "12/3", "12a/3b", "12 m. 3", "12 lok. 3b": the house
# number (and the flat), at the end, after a space.
_HOUSE_NUMBER = re.compile(
    r"(?P<street>.*?\S)\s+(?P<number>[0-9]+\s?[A-Za-z]?(?:\s*/\s*[0-9]+\s?[A-Za-z]?)?"
    r"(?:\s+(?:m|lok)\.?\s*[0-9]+[A-Za-z]?)?)",
    re.ASCII,
)
# What a printed form shows for a part the register does not hold: a line to
# fill in by hand when the person signs.
BLANK = "……………"


def split_street(address_1):
    """"ul. Leśna 12/3" -> ("ul. Leśna", "12/3"); "Glinne" -> ("Glinne", "")."""
    text = " ".join((address_1 or "").split())
    match = _HOUSE_NUMBER.fullmatch(text)
    if match is None:
        return text, ""
    return match["street"], match["number"]


def join_street(street, number):
    """The stored form of a street and a house number, or None for neither."""
    joined = " ".join(" ".join(part.split()) for part in (street or "", number or "") if part and part.strip())
    return joined or None


def has_house_number(address_1):
    return bool(split_street(address_1)[1])


def postal_address(resident, blank=BLANK):
    """"ul. Leśna 12, 21-407 Wojcieszków" for printed forms: the street and
    house number, the postal code and the town (of the post office, else the
    village); each part the register lacks is a blank to fill in."""
    street, number = split_street(resident.address_1)
    town = resident.city or (resident.village.name if resident.village is not None else None)
    return f"{street or blank} {number or blank}, {resident.postal_code or blank} {town or blank}"


def check_street_fields(street, house_number, stored_address=None):
    """Form check, shared by the register's and the desk's person forms: a
    house number belongs to a street (or a village); a street needs its
    number, except an address saved before numbers were asked for and kept
    as it was (`stored_address`): editing a phone number is not blocked by it.
    Adds the message to the field at fault; False when there is one."""
    if house_number.data and not street.data and not street.errors:
        street.errors.append(_("Podaj ulicę albo miejscowość, do której należy numer."))
        return False
    if street.data and not house_number.data and not house_number.errors \
            and join_street(street.data, None) != " ".join((stored_address or "").split()):
        house_number.errors.append(_("Podaj numer domu, np. 12 albo 12/3."))
        return False
    return not (street.errors or house_number.errors)
