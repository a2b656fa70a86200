// /link undo must not let one person decide a grant twice. A link moves the
// joining account's grant decisions, conflicts of interest, requests and
// leads'-poll votes to the person it joined, and undo gives back only roles;
// so an undo is refused while a grant this person is part of is still being decided.
import type { DB } from '../storage/db.js';

export function grantLinkUndoGuard(db: DB): (personId: number) => string | undefined {
  const involved = db.prepare<[{ p: number }], { id: number }>(
    `SELECT g.id FROM grants g WHERE g.state = 'submitted' AND (
       g.requested_by = @p
       OR EXISTS (SELECT 1 FROM grant_decisions d WHERE d.grant_id = g.id AND d.person_id = @p)
       OR EXISTS (SELECT 1 FROM grant_conflicts c WHERE c.grant_id = g.id AND c.person_id = @p)
       OR EXISTS (SELECT 1 FROM polls p JOIN poll_voters v ON v.poll_id = p.id
                  WHERE p.origin = 'grant:' || g.id AND p.status = 'open' AND v.person_id = @p))
     ORDER BY g.id LIMIT 1`,
  );
  return (personId) => {
    const grant = involved.get({ p: personId });
    if (!grant) return undefined;
    return (
      `You can't undo this link while grant #${grant.id} is being decided: you asked for it, decided on it or voted on it from these accounts, ` +
      `and splitting them now could count you twice. Try again once it is decided (see /grant show ${grant.id}).`
    );
  };
}
