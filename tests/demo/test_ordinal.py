"""The demo seeds its choices with ordinals, not ids: a demo must come out the
same whatever the database held before (on PostgreSQL a deleted row's id is
never given again, so ids of a second seeding start higher)."""
from sqlalchemy import delete, select

from portal.catalogue.models import Village
from portal.demo.ordinal import ordinals
from portal.extensions import db


def test_ordinals_count_from_the_tables_first_row_whatever_ids_were_used_before(app):
    db.session.add_all([Village(name=f"Dawna {n}", slug=f"dawna-{n}") for n in range(5)])
    db.session.commit()
    db.session.execute(delete(Village))
    db.session.commit()
    villages = [Village(name=name, slug=name.lower()) for name in ("Burzec", "Bęczków", "Zofibór")]
    db.session.add_all(villages)
    db.session.commit()
    rows = db.session.scalars(select(Village).order_by(Village.id)).all()
    assert [ordinals(db.session, Village, rows)[v.id] for v in rows] == [0, 1, 2]
    assert [v.name for v in rows] == ["Burzec", "Bęczków", "Zofibór"]
