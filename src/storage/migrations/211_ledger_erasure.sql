-- The grant ledger stays append-only, with one exception the law requires: when
-- a person is erased (/forget), the name recorded at the time becomes
-- "former member". Nothing else in a row may change.
DROP TRIGGER grant_ledger_no_update;
CREATE TRIGGER grant_ledger_no_update BEFORE UPDATE ON grant_ledger
WHEN NOT (
  NEW.actor_name = 'former member'
  AND NEW.id IS OLD.id AND NEW.at IS OLD.at AND NEW.category IS OLD.category AND NEW.grant_id IS OLD.grant_id
  AND NEW.event IS OLD.event AND NEW.from_state IS OLD.from_state AND NEW.to_state IS OLD.to_state
  AND NEW.amount IS OLD.amount AND NEW.budget_change IS OLD.budget_change AND NEW.approved_change IS OLD.approved_change
  AND NEW.paid_change IS OLD.paid_change AND NEW.actor_id IS OLD.actor_id AND NEW.note IS OLD.note
)
BEGIN
  SELECT RAISE(ABORT, 'grant_ledger is append-only');
END;
