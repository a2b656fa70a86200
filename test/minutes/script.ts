// The console script from the minutes issue's "Done when" (run with COLLABOT_ADMINS=console:ana).
export const DONE_WHEN_SCRIPT = `
:as ana
/delegate add @dee Community Planning Partnership
:in forum
/collab create Forum
/subscribe minutes
:in youth
/collab create Youth Work
/subscribe minutes
:in quiet
/collab create Quiet Collab
:in main
:as dee
/minutes "CPP board, 3 December" Budget consultation opens in January. Rural transport gaps raised by the sector.
:in forum
:as fay
/comment 1 Please raise the cuts to the 79 bus
`;
