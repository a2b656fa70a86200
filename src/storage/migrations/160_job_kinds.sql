-- Job kinds are named feature.verb, after the feature's folder (src/polls,
-- src/grants, ...). Jobs already stored keep running under their new names.
UPDATE jobs SET kind = 'polls.close' WHERE kind = 'poll.close';
UPDATE jobs SET kind = 'polls.warn' WHERE kind = 'poll.warn';
UPDATE jobs SET kind = 'grants.ask-report' WHERE kind = 'grants.report-due';
UPDATE jobs SET kind = 'notes.remind-due' WHERE kind = 'action.due';
UPDATE jobs SET kind = 'reminders.send' WHERE kind = 'reminder';
UPDATE jobs SET kind = 'minutes.report-undelivered' WHERE kind = 'minutes.undelivered';
