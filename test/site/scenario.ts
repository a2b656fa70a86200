// A collective's records typed through the console bot (COLLABOT_ADMINS=console:ana):
// a collab that publishes and one that does not, grants in each fund, measures
// over three months, stories, minutes with a comment, notes and a link code.
// Used by the site tests (vitest) and by `npm run test:browser`.

/** Text that must never appear on the site (unpublished collab, votes, comments, notes, ids). */
export const SECRET = {
  quietPoll: 'Should Quiet Circle merge with the Hidden Trust?',
  quietStory: 'Quiet Circle story that nobody outside may read',
  quietNote: 'Quiet Circle budget worries',
  publicNote: 'Food Network note about rota',
  comment: 'Please raise the cuts to the 79 bus',
  unnamedAuthor: 'gus',
  voter: 'hal',
  requester: 'ben',
};

/** Platform chat ids, which must never appear on the site. */
export const CHAT = { food: 'chat-food-7731', quiet: 'chat-quiet-4410' };

export const SCENARIO = `
:as ana
:in ${CHAT.food}
/collab create Food Network
/collab about Food banks and community larders working together on food access
/collab publish on
/role add @lee lead
/role add @lou lead
/role add @lia lead
/subscribe minutes
/delegate add @dee Community Planning Partnership
/fund set discovery 5000
/fund set enabling 20000
/fund set invest 50000
:in ${CHAT.quiet}
/collab create Quiet Circle
:as ben
/poll "${SECRET.quietPoll}" "Yes" "No"
/vote 1 1
/poll close 1
/notes add ${SECRET.quietNote} -- We may run short in March
/story ${SECRET.quietStory} --outcome involved
:in ${CHAT.food}
:as fay
/poll "Which day for the food swap?" "Saturday" "Sunday"
/vote 2 1
:as ${SECRET.voter}
/vote 2 1
:as gus
/vote 2 2
:as fay
/poll close 2
/poll outcome 2 The food swap runs on Saturdays from January.
/poll "Join the council food forum?" "Yes" "No" --anonymous
/vote 3 1
:as gus
/vote 3 1
:as fay
/poll close 3
/notes add ${SECRET.publicNote} -- Fay covers Tuesdays
/grant request discovery 750 Community larder fridge
:as lee
/grant approve 1
:as lou
/grant approve 1
:as ana
/grant paid 1
:as fay
/grant report 1 The fridge keeps forty families supplied every week --outcome local-need
/grant request enabling 4000 Volunteer training programme
/grant outcome 2 economy
:as lee
/vote 4 agree
:as lou
/vote 4 agree
:as lia
/vote 4 agree
/poll close 4
:in ${CHAT.quiet}
:as ben
/grant request invest 12000 Shared office for three charities
:as lee
/vote 5 agree
:as lou
/vote 5 agree
:as lia
/vote 5 agree
/poll close 5
:as lee
/measure define "People supported" --unit people --outcome involved
/measure define "Volunteer hours" --unit hours --outcome 2
:in ${CHAT.food}
:as fay
/measure add "People supported" 100 for september
/measure add "People supported" 120 for october
/measure add "People supported" 150 for november
/measure add "Volunteer hours" 40.5 for november
/story Ten families now get fresh food every week --outcome local-need
/story show-name 3
:as gus
/story The council now plans the food bank with us --outcome collaboration
:in ${CHAT.quiet}
:as ben
/measure add "People supported" 30 for september
/measure add "People supported" 35 for october
/measure add "People supported" 40 for november
:as dee
/minutes "CPP board, 3 December" Budget consultation opens in January. Rural transport gaps raised by the sector.
:in ${CHAT.food}
:as fay
/comment 1 ${SECRET.comment}
/link
`;

/** What the ledger should say after the scenario (pence). */
export const EXPECTED_FUNDS = {
  discovery: { budget: 500000, reserved: 75000, paid: 75000 },
  enabling: { budget: 2000000, reserved: 400000, paid: 0 },
  invest: { budget: 5000000, reserved: 1200000, paid: 0 },
};
