-- Shared measures (issue 19): figures each collab records per period, tagged
-- to one of the six outcomes; plus the choices the public site respects:
-- whether a collab publishes its decisions, and whether a story's author
-- agreed to be named.

CREATE TABLE measures (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL COLLATE NOCASE UNIQUE,
  unit TEXT NOT NULL,
  outcome TEXT NOT NULL REFERENCES story_outcomes(slug),
  description TEXT,
  decimals INTEGER NOT NULL DEFAULT 0 CHECK (decimals IN (0, 1)),  -- 1: figures may have up to 2 decimals
  created_by INTEGER REFERENCES people(id),
  created_at INTEGER NOT NULL
);

-- One row per recorded figure. Recording again for the same collab, measure
-- and period keeps the earlier row (replaced_at set) as history.
-- period: '2026-11' (month), '2026-Q4' (quarter) or '2026' (year).
-- value: hundredths, so decimals never go through floating point.
CREATE TABLE measure_values (
  id INTEGER PRIMARY KEY,
  measure_id INTEGER NOT NULL REFERENCES measures(id),
  collab_id INTEGER NOT NULL REFERENCES collabs(id),
  period TEXT NOT NULL,
  value INTEGER NOT NULL CHECK (value >= 0),
  recorded_by INTEGER REFERENCES people(id),
  recorded_at INTEGER NOT NULL,
  replaced_at INTEGER
);
CREATE UNIQUE INDEX measure_values_current ON measure_values(measure_id, collab_id, period) WHERE replaced_at IS NULL;
CREATE INDEX measure_values_measure ON measure_values(measure_id, period);

-- Off by default: a collab's decisions and stories appear on the public site only once it says so.
ALTER TABLE collabs ADD COLUMN publish INTEGER NOT NULL DEFAULT 0 CHECK (publish IN (0, 1));

-- 1 once the author agreed to be named on the public site; otherwise the story shows the collab's name.
ALTER TABLE stories ADD COLUMN author_named INTEGER NOT NULL DEFAULT 0 CHECK (author_named IN (0, 1));

-- What a collab is for, in a sentence, for the public site (/collab about).
ALTER TABLE collabs ADD COLUMN about TEXT;

-- The outcome a grant works towards (/grant outcome), so grants are tagged like
-- measures and stories; until set, the site uses the outcome of its report.
ALTER TABLE grants ADD COLUMN outcome TEXT REFERENCES story_outcomes(slug);
