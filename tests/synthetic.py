"""A tiny fact base written for the tests, so that the engine's ranking, abstention
and conversation are pinned independently of the bundled data."""

from __future__ import annotations

from pathlib import Path

SOURCES = """
- id: src-a
  title: Norland and Vietnam hold defence talks
  publisher: Test Wire
  published: 2020-05-12
  language: en
  added: 2026-11-01
- id: src-b
  title: Harbour Expo 2023 opens in Hanoi
  publisher: Test Wire
  published: 2023-03-03
  language: en
  added: 2026-11-01
"""

ENTITIES = """
- id: vietnam
  type: country
  name: Vietnam
  name_vi: Việt Nam
  aliases: [Vietnamese, VN]
  description: Southeast Asian country.
- id: norland
  type: country
  name: Norland
  aliases: [Norlandic]
  description: A country invented for the tests.
- id: suria
  type: country
  name: Suria
  aliases: [Surian]
  description: Another invented country, with no facts of its own.
- id: hanoi
  type: place
  name: Hanoi
  description: Capital of Vietnam.
- id: ana-berg
  type: person
  name: Ana Berg
  aliases: [Berg]
  description: Former defence minister of Norland.
  roles:
    - {role: defense-minister, title: Minister of Defence, country: norland, from: 2018-01-01, to: 2022-06-30, source: src-a}
- id: tomas-lind
  type: person
  name: Tomas Lind
  aliases: [Lind]
  description: Defence minister of Norland.
  roles:
    - {role: defense-minister, title: Minister of Defence, country: norland, from: 2022-07-01, source: src-b}
- id: le-van-hai
  type: person
  name: Le Van Hai
  name_vi: Lê Văn Hải
  aliases: [Hai]
  description: Vietnamese deputy defence minister.
  roles:
    - {role: deputy-defense-minister, title: Deputy Minister of National Defence, country: vietnam, as_of: 2023-03, source: src-b}
- id: norland-shipyards
  type: company
  name: Norland Shipyards
  description: Shipbuilder.
- id: delta-radar
  type: company
  name: Delta Radar
  description: Radar maker.
- id: harbour-expo-2023
  type: event
  name: Harbour Expo 2023
  aliases: [Harbour Expo, harbor expo]
  description: A naval exhibition in Hanoi.
- id: naval-vision-2030
  type: agreement
  name: Norland-Vietnam Naval Vision towards 2030
  aliases: [naval vision towards 2030]
  description: A plan for naval cooperation up to 2030.
"""

FACTS = """
- id: berg-meets-hai-2020
  date: 2020-05-12
  kind: meeting
  actors: [le-van-hai, ana-berg]
  place: hanoi
  headline: Le Van Hai meets Norland's defence minister Ana Berg in Hanoi
  headline_vi: Lê Văn Hải gặp Bộ trưởng Quốc phòng Norland Ana Berg tại Hà Nội
  summary: Deputy defence minister Le Van Hai received Norland's defence minister Ana Berg in Hanoi; they discussed search and rescue training.
  summary_vi: Thứ trưởng Lê Văn Hải tiếp Bộ trưởng Quốc phòng Norland Ana Berg tại Hà Nội; hai bên bàn về huấn luyện tìm kiếm cứu nạn.
  tags: [search and rescue, training]
  source: src-a
- id: harbour-expo-2023-held
  date: {start: 2023-03-01, end: 2023-03-03}
  kind: event
  actors: [vietnam]
  event: harbour-expo-2023
  place: hanoi
  headline: Harbour Expo 2023 held in Hanoi
  summary: The Harbour Expo 2023 naval exhibition was held in Hanoi; exhibitors included Norland Shipyards, Delta Radar and Suria Marine.
  items: [Norland Shipyards, Delta Radar, Suria Marine]
  items_of: exhibiting companies
  tags: [exhibition, naval, companies]
  source: src-b
- id: lind-hai-sign-mou-2023
  date: 2023-03-02
  kind: agreement
  actors: [tomas-lind, le-van-hai]
  event: harbour-expo-2023
  headline: Tomas Lind and Le Van Hai sign a memorandum on naval training
  summary: On the sidelines of the Harbour Expo, Norland's defence minister Tomas Lind and Le Van Hai signed a memorandum of understanding on naval training.
  tags: [memorandum, naval training]
  source: src-b
- id: norland-pledges-coast-guard-funding
  date: 2023-03-03
  kind: funding
  actors: [norland]
  headline: Norland pledges $20 million for Vietnamese coast guard training
  summary: Norland pledged $20 million to train Vietnamese coast guard crews.
  amounts: [{value: 20000000, unit: USD, of: Norland funding for coast guard training}]
  tags: [coast guard, training, funding]
  source: src-b
- id: naval-vision-signed-2020
  date: 2020-05-13
  kind: agreement
  actors: [ana-berg, le-van-hai]
  event: naval-vision-2030
  headline: Ana Berg and Le Van Hai sign a naval vision towards 2030
  summary: Ana Berg and Le Van Hai signed the Norland-Vietnam Naval Vision towards 2030 in Hanoi.
  source: src-a
- id: norland-vietnam-30-years-2020
  date: 2020-05-14
  kind: statement
  actors: [norland, vietnam]
  headline: Norland and Vietnam mark 30 years of diplomatic relations
  summary: Ana Berg said 2020 marked 30 years of diplomatic relations between Norland and Vietnam.
  amounts: [{value: 30, unit: years, of: years of Norland-Vietnam diplomatic relations in 2020}]
  source: src-a
"""


def write(root: Path) -> Path:
    """Write the synthetic base under `root` and return its folder."""
    (root / "facts").mkdir(parents=True)
    (root / "sources.yaml").write_text(SOURCES, encoding="utf-8")
    (root / "entities.yaml").write_text(ENTITIES, encoding="utf-8")
    (root / "facts" / "test.yaml").write_text(FACTS, encoding="utf-8")
    return root
