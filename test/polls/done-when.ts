// The console script from issue #3's "Done when", exactly as written there.
export const DONE_WHEN_SCRIPT = `:as ana
/collab create Forum
/poll "Which day for the forum?" "Tuesday" "Thursday"
:as ben
/vote 1 2
:as cara
/vote 1 thursday
:as dan
/vote 1 1
/vote 1 2
/vote 1 1
/poll results 1
:as ana
/poll close 1
/poll outcome 1 We meet on Thursdays.
:as eve
/vote 1 2`;
