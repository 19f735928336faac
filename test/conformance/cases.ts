// Every FIX Session Layer Test Case of ../shared/FIX-SESSION-CASES.md as a script (the format is in
// test/helpers/conformance.ts). The same scripts run against tickgate (session-conformance.test.ts) and
// against QuickFIX (session-conformance-quickfix.test.ts), as acceptor and as initiator, for FIX.4.2,
// FIX.4.4 and FIXT.1.1; both engines must send exactly the messages a script expects. Lines marked <qf or
// <tg are where the two differ on purpose (ARCHITECTURE.md, "Where tickgate differs from QuickFIX").
// Rows not scripted here: 9 (an operations procedure), 17 (TLS: session-config.test.ts).
import { ORDER_TIME, type ConformanceCase, type Role } from '../helpers/conformance.js';

const TRANSACT = `60=${ORDER_TIME}`;
/** A NewOrderSingle valid in all three versions, and the echo of it (the body in the same order). */
const order = (seq: number, header = '', id = 'ID', body = '') => `35=D|34=${seq}|${header}11=${id}|21=3|40=1|54=1|55=INTC|${body}${TRANSACT}`;
const BOTH: Role[] = ['acceptor', 'initiator'];
const ACCEPTOR: Role[] = ['acceptor'];
const INITIATOR: Role[] = ['initiator'];
const logoutBy = (theirs: number, ours: number) => [`> 35=5|34=${theirs}`, `< 35=5|34=${ours}`, 'disconnect'];

export const CASES: ConformanceCase[] = [
  // 1S, 1B: logon
  { ref: '1S a / 1B a', title: 'a valid Logon is answered; an unsolicited Logout is answered and ends the connection', roles: BOTH,
    steps: ['logon', ...logoutBy(2, 2)] },
  { ref: '1S a', title: 'a Logon with MsgSeqNum too high is answered, then the gap is asked for and filled', roles: ACCEPTOR,
    steps: ['connect', '> 35=A|34=5|98=0|108=30', '< 35=A|34=1|98=0|108=30', '< 35=2|34=2|7=1|16=0',
      '> 35=4|34=1|43=Y|122=<TIME>|36=5|123=Y', '> 35=1|34=6|112=SYNC', '< 35=0|34=3|112=SYNC', ...logoutBy(7, 4)] },
  { ref: '1B a', title: 'a Logon response with MsgSeqNum too high: the gap is asked for and filled', roles: INITIATOR,
    steps: ['accept', '< 35=A|34=1|98=0|108=30', '> 35=A|34=5|98=0|108=30', '< 35=2|34=2|7=1|16=0',
      '> 35=4|34=1|43=Y|122=<TIME>|36=5|123=Y', '> 35=1|34=6|112=SYNC', '< 35=0|34=3|112=SYNC', ...logoutBy(7, 4)] },
  { ref: '1S b', title: 'a second connection for a logged-on session is dropped without a byte', roles: ACCEPTOR,
    steps: ['logon', '@2 connect', '@2 > 35=A|34=1|98=0|108=30', '@2 disconnect', '> 35=1|34=2|112=STILL', '< 35=0|34=2|112=STILL', ...logoutBy(3, 3)] },
  { ref: '1S c', title: 'a Logon from an unknown SenderCompID is dropped without an answer', roles: ACCEPTOR,
    steps: ['connect', '> 35=A|34=1|49=WT|98=0|108=30', 'disconnect'] },
  { ref: '1S c', title: 'a Logon to an unknown TargetCompID is dropped without an answer', roles: ACCEPTOR,
    steps: ['connect', '> 35=A|34=1|56=DLSI|98=0|108=30', 'disconnect'] },
  { ref: '1S d', title: 'a Logon with SendingTime out of tolerance is dropped without an answer', roles: ACCEPTOR,
    steps: ['connect', '> 35=A|34=1|52=<TIME-121>|98=0|108=30', 'disconnect'] },
  { ref: '1S d', title: 'a Logon with a wrong BodyLength is dropped without an answer', roles: ACCEPTOR,
    steps: ['connect', '> 35=A|34=1|9=40|98=0|108=30', 'disconnect'] },
  { ref: '1S d', title: 'a Logon with an unexpected BeginString is dropped without an answer', roles: ACCEPTOR,
    steps: ['connect', '> 8=FIX.4.1|35=A|34=1|98=0|108=30', 'disconnect'] },
  { ref: '1S e', title: 'a first message that is not a Logon ends the connection without an answer', roles: ACCEPTOR,
    steps: ['connect', '> 35=1|34=1|112=HELLO', 'disconnect'] },
  { ref: '1B b', title: 'a Logon response from the wrong CompID ends the session', roles: INITIATOR,
    steps: ['accept', '< 35=A|34=1|98=0|108=30', '> 35=A|34=1|49=WT|98=0|108=30', '<tg 35=5|34=2|58=CompID problem in the Logon response', 'disconnect'] },
  { ref: '1B d', title: 'a first message that is not a Logon response ends the session', roles: INITIATOR,
    steps: ['accept', '< 35=A|34=1|98=0|108=30', '> 35=1|34=1|112=HELLO', '<tg 35=5|34=2|58=First message not a logon', 'disconnect'] },
  { ref: '1S', title: 'an acceptor takes its counterparty\'s next Logon after a Logout', roles: ACCEPTOR,
    steps: ['logon', ...logoutBy(2, 2), 'connect', '> 35=A|34=3|98=0|108=30', '< 35=A|34=3|98=0|108=30', ...logoutBy(4, 4)] },
  { ref: '1S', title: 'ResetOnLogon: an acceptor starts both sides at 1 on every Logon it receives', roles: ACCEPTOR, engine: { resetOnLogon: true },
    steps: ['logon', `> ${order(2)}`, `< ${order(2)}`, ...logoutBy(3, 3), 'connect', '> 35=A|34=1|98=0|108=30', '< 35=A|34=1|98=0|108=30', ...logoutBy(2, 2)] },
  { ref: '1S', title: 'a Logon with ResetSeqNumFlag while logged on resets both sides and is answered with 141=Y', roles: BOTH,
    steps: ['logon', '> 35=0|34=2', '> 35=0|34=3', '> 35=1|34=4|112=1', '< 35=0|34=2|112=1', '> 35=A|34=1|98=0|108=30|141=Y',
      '< 35=A|34=1|98=0|108=30|141=Y', '> 35=1|34=2|112=2', '< 35=0|34=2|112=2', ...logoutBy(3, 3)] },

  // 2: the standard header
  { ref: '2a', title: 'messages in sequence are processed', roles: BOTH,
    steps: ['logon', '> 35=0|34=2', '> 35=1|34=3|112=HELLO', '< 35=0|34=2|112=HELLO', ...logoutBy(4, 3)] },
  { ref: '2b', title: 'MsgSeqNum too high: ResendRequest, then the queued message after the gap fill', roles: BOTH,
    steps: ['logon', '> 35=1|34=5|112=HELLO', '< 35=2|34=2|7=2|16=0', '> 35=4|34=2|43=Y|122=<TIME>|36=5|123=Y', '< 35=0|34=3|112=HELLO', ...logoutBy(6, 4)] },
  { ref: '2c', title: 'MsgSeqNum too low without PossDup: Logout with the numbers, disconnect', roles: BOTH,
    steps: ['logon', '> 35=0|34=2', '> 35=0|34=2', '< 35=5|34=2|58=MsgSeqNum too low, expecting 3 but received 2', 'disconnect'] },
  { ref: '2d', title: 'a garbled message is ignored and uses no sequence number', roles: BOTH,
    steps: ['logon', '>raw 8=$V|9=?|35=0|34=2|49garbled=$T|52=<TIME>|56=ISLD|10=?', '> 35=1|34=2|112=HELLO', '< 35=0|34=2|112=HELLO', ...logoutBy(3, 3)] },
  { ref: '2e', title: 'PossDup of a message already received is ignored; one not received is processed', roles: BOTH,
    steps: ['logon', '> 35=0|34=2', '> 35=1|34=2|43=Y|122=<TIME>|112=OLD', '> 35=1|34=3|43=Y|122=<TIME>|112=NEW', '< 35=0|34=2|112=NEW', ...logoutBy(4, 3)] },
  { ref: '2f', title: 'PossDup below the expected number with OrigSendingTime after SendingTime: Reject 373=10', roles: BOTH,
    steps: ['logon', `> ${order(2)}`, `< ${order(2)}`, `> ${order(3)}`, `< ${order(3)}`,
      `> ${order(2, '43=Y|122=<TIME+10>|')}`, '< 35=3|34=4|45=2|58=SendingTime accuracy problem|372=D|373=10',
      // QuickFIX logs out as well; the Test Case (and tickgate) let the session go on.
      '<qf 35=5|34=5', '> 35=5|34=4', '<tg 35=5|34=5', 'disconnect'] },
  { ref: '2f', title: 'PossDup in sequence with OrigSendingTime after SendingTime: Reject 373=10, the number counts', roles: BOTH,
    steps: ['logon', `> ${order(2, '43=Y|122=<TIME+10>|')}`,
      // QuickFIX checks OrigSendingTime only below the expected number, and processes this one.
      '<tg 35=3|34=2|45=2|58=SendingTime accuracy problem|372=D|373=10', `<qf ${order(2)}`,
      '> 35=1|34=3|112=ON', '< 35=0|34=3|112=ON', ...logoutBy(4, 4)] },
  { ref: '2g', title: 'PossDup below the expected number without OrigSendingTime: Reject 373=1 (122), no number used', roles: BOTH,
    steps: ['logon', `> ${order(2)}`, `< ${order(2)}`, `> ${order(3)}`, `< ${order(3)}`, `> ${order(2, '43=Y|')}`,
      '< 35=3|34=4|45=2|58=Required tag missing|371=122|372=D|373=1', '> 35=1|34=4|112=HELLO', '< 35=0|34=5|112=HELLO', ...logoutBy(5, 6)] },
  { ref: '2g', title: 'PossDup in sequence without OrigSendingTime: Reject 373=1 (122), the number counts', roles: BOTH,
    steps: ['logon', `> ${order(2, '43=Y|')}`, '<tg 35=3|34=2|45=2|58=Required tag missing|371=122|372=D|373=1', `<qf ${order(2)}`,
      '> 35=1|34=3|112=ON', '< 35=0|34=3|112=ON', ...logoutBy(4, 4)] },
  { ref: '2i', title: 'an unexpected BeginString: Logout, then disconnect on the answer', roles: BOTH,
    steps: ['logon', '> 8=FIX.4.1|35=1|34=2|112=id', '< 35=5|34=2|58=Incorrect BeginString', '> 35=5|34=3', 'disconnect'] },
  { ref: '2i', title: 'an unexpected BeginString: Logout, then disconnect when no answer comes', roles: BOTH,
    steps: ['logon', '> 8=FIX.4.1|35=1|34=2|112=id', '< 35=5|34=2|58=Incorrect BeginString', 'disconnect'] },
  { ref: '2k', title: 'a wrong SenderCompID: Reject 373=9, Logout', roles: BOTH,
    steps: ['logon', `> ${order(2, '49=WT|')}`, '< 35=3|34=2|45=2|58=CompID problem|372=D|373=9', '< 35=5|34=3', '> 35=5|34=3', 'disconnect'] },
  { ref: '2k', title: 'a wrong TargetCompID: Reject 373=9, Logout', roles: BOTH,
    steps: ['logon', `> ${order(2, '56=DLSI|')}`, '< 35=3|34=2|45=2|58=CompID problem|372=D|373=9', '< 35=5|34=3', '> 35=5|34=3', 'disconnect'] },
  { ref: '2m', title: 'a BodyLength too short: the message is ignored, the next one processed', roles: BOTH,
    steps: ['logon', '> 35=1|34=2|9=30|112=SHORT', '> 35=1|34=2|112=HELLO', '< 35=0|34=2|112=HELLO', ...logoutBy(3, 3)] },
  { ref: '2o', title: 'SendingTime too old: Reject 373=10, Logout', roles: BOTH,
    steps: ['logon', '> 35=0|34=2|52=<TIME-121>', '< 35=3|34=2|45=2|58=SendingTime accuracy problem|372=0|373=10', '< 35=5|34=3', '> 35=5|34=3', 'disconnect'] },
  { ref: '2o', title: 'SendingTime in the future: Reject 373=10, Logout', roles: BOTH,
    steps: ['logon', '> 35=0|34=2|52=<TIME+121>', '< 35=3|34=2|45=2|58=SendingTime accuracy problem|372=0|373=10', '< 35=5|34=3', '> 35=5|34=3', 'disconnect'] },
  { ref: '2q', title: 'an invalid MsgType: Reject 373=11, the number counts', roles: BOTH,
    steps: ['logon', '> 35=ZZ|34=2', '< 35=3|34=2|45=2|58=Invalid MsgType|372=ZZ|373=11', ...logoutBy(3, 3)] },
  { ref: '2r', title: 'a valid MsgType the application does not support: BusinessMessageReject 380=3', roles: BOTH, engine: { app: 'fill' },
    steps: ['logon', '> 35=H|34=2|11=ID|54=1|55=INTC', '<!FIXT.1.1 35=j|34=2|45=2|58=Unsupported Message Type|372=H|380=3',
      // QuickFIX puts DefaultApplVerID in the body, where FIX.5.0SP2 does not define it for this message.
      '<qf@FIXT.1.1 35=j|34=2|45=2|58=Unsupported Message Type|372=H|380=3|1137=9',
      '<tg@FIXT.1.1 35=j|34=2|45=2|58=Unsupported Message Type|372=H|380=3', ...logoutBy(3, 3)] },
  { ref: '2s, 2t', title: 'BeginString, BodyLength, MsgType not first: ignored, no number used', roles: BOTH,
    steps: ['logon', '>raw 35=0|8=$V|9=?|34=2|49=$T|52=<TIME>|56=ISLD|10=?', '> 35=1|34=2|112=HELLO', '< 35=0|34=2|112=HELLO',
      '>raw 8=$V|9=?|34=3|35=0|49=$T|52=<TIME>|56=ISLD|10=?', '> 35=1|34=3|112=HELLO', '< 35=0|34=3|112=HELLO', ...logoutBy(4, 4)] },

  // 3: the standard trailer
  { ref: '3b', title: 'a wrong CheckSum: ignored, no number used', roles: BOTH,
    steps: ['logon', '> 35=0|34=2|10=256', `> ${order(3)}|10=256`, '> 35=1|34=2|112=HELLO', '< 35=0|34=2|112=HELLO', ...logoutBy(3, 3)] },
  { ref: '3c', title: 'a message without a tag=value structure: ignored', roles: BOTH,
    steps: ['logon', '>raw 8=$V|9=?|35=0|34=2|garbage|49=$T|52=<TIME>|56=ISLD|10=?', '> 35=1|34=2|112=HELLO', '< 35=0|34=2|112=HELLO', ...logoutBy(3, 3)] },

  // 4 to 7: heartbeats, test requests, rejects
  // HeartBtInt 2: our Heartbeat at 1 s keeps the engine from sending a TestRequest (after 2.4 s more) before
  // its own Heartbeat is due (2 s after its Logon; QuickFIX looks once a second).
  { ref: '4a', title: 'a Heartbeat after HeartBtInt without sending', roles: BOTH, engine: { heartBtInt: 2 },
    steps: ['logon', 'wait 1000', '> 35=0|34=2', '< 35=0|34=2', ...logoutBy(3, 3)] },
  { ref: '4b', title: 'a TestRequest is answered with a Heartbeat carrying its TestReqID', roles: BOTH,
    steps: ['logon', '> 35=1|34=2|112=PING', '< 35=0|34=2|112=PING', ...logoutBy(3, 3)] },
  { ref: '6', title: 'a silent counterparty gets a TestRequest, then the connection is closed', roles: BOTH, engine: { heartBtInt: 2 },
    steps: ['logon', 'ignore heartbeats', '< 35=1|34=*|112=TEST', 'disconnect'] },
  { ref: '7', title: 'a received Reject uses its sequence number', roles: BOTH,
    steps: ['logon', '> 35=3|34=2|45=1|58=just a test|372=A|373=0', '> 35=1|34=3|112=AFTER', '< 35=0|34=2|112=AFTER', ...logoutBy(4, 3)] },

  // 8: resends
  { ref: '8', title: 'a resend of only session messages is one SequenceReset-GapFill', roles: BOTH,
    steps: ['logon', '> 35=1|34=2|112=A', '< 35=0|34=2|112=A', '> 35=1|34=3|112=B', '< 35=0|34=3|112=B', '> 35=2|34=4|7=1|16=3',
      '< 35=4|34=1|43=Y|122=<TIME>|36=4|123=Y', '> 35=2|34=5|7=1|16=0', '< 35=4|34=1|43=Y|122=<TIME>|36=4|123=Y', ...logoutBy(6, 4)] },
  { ref: '8', title: 'a resend of application messages: PossDup, OrigSendingTime', roles: BOTH,
    steps: ['logon', `> ${order(2, '', 'A')}`, `< ${order(2, '', 'A')}`, `> ${order(3, '', 'B')}`, `< ${order(3, '', 'B')}`, '> 35=2|34=4|7=2|16=3',
      `< ${order(2, '43=Y|122=<TIME>|', 'A')}`, `< ${order(3, '43=Y|122=<TIME>|', 'B')}`, ...logoutBy(5, 4)] },
  { ref: '8', title: 'a resend of session and application messages: gap fills around the replays', roles: BOTH,
    steps: ['logon', `> ${order(2, '', 'A')}`, `< ${order(2, '', 'A')}`, '> 35=1|34=3|112=T', '< 35=0|34=3|112=T', `> ${order(4, '', 'B')}`, `< ${order(4, '', 'B')}`,
      '> 35=2|34=5|7=1|16=0', '< 35=4|34=1|43=Y|122=<TIME>|36=2|123=Y', `< ${order(2, '43=Y|122=<TIME>|', 'A')}`,
      '< 35=4|34=3|43=Y|122=<TIME>|36=4|123=Y', `< ${order(4, '43=Y|122=<TIME>|', 'B')}`, ...logoutBy(6, 5)] },

  // 10, 11: SequenceReset
  { ref: '10a', title: 'GapFill with NewSeqNo above the expected number moves it', roles: BOTH,
    steps: ['logon', '> 35=4|34=2|43=Y|122=<TIME>|36=10|123=Y', '> 35=1|34=10|112=X', '< 35=0|34=2|112=X', ...logoutBy(11, 3)] },
  { ref: '10b', title: 'GapFill with NewSeqNo equal to its own number changes nothing', roles: BOTH,
    steps: ['logon', '> 35=4|34=2|36=2|123=Y', '> 35=1|34=2|112=X', '< 35=0|34=2|112=X', ...logoutBy(3, 3)] },
  { ref: '10c', title: 'GapFill below the expected number without PossDup: Logout, disconnect', roles: BOTH,
    steps: ['logon', '> 35=1|34=2|112=X', '< 35=0|34=2|112=X', '> 35=4|34=1|36=20|123=Y', '< 35=5|34=3|58=MsgSeqNum too low, expecting 3 but received 1', 'disconnect'] },
  { ref: '11a', title: 'Reset with NewSeqNo above the expected number moves it, whatever its own number', roles: BOTH,
    steps: ['logon', '> 35=4|34=1|36=10', '> 35=1|34=10|112=X', '< 35=0|34=2|112=X', ...logoutBy(11, 3)] },
  { ref: '11b', title: 'Reset with NewSeqNo equal to the expected number changes nothing', roles: BOTH,
    steps: ['logon', '> 35=4|34=5|36=2', '> 35=1|34=2|112=X', '< 35=0|34=2|112=X', ...logoutBy(3, 3)] },
  { ref: '11c', title: 'Reset with NewSeqNo below the expected number: Reject 373=5', roles: BOTH,
    steps: ['logon', '> 35=4|34=0|36=1', '< 35=3|34=2|45=0|58=Value is incorrect (out of range) for this tag|372=4|373=5',
      '> 35=1|34=2|112=X', '< 35=0|34=3|112=X', ...logoutBy(3, 4)] },

  // 12, 13: logout
  { ref: '12', title: 'our Logout, answered: disconnect', roles: BOTH,
    steps: ['logon', 'logout', '< 35=5|34=2', '> 35=5|34=2', 'disconnect'] },
  { ref: '12', title: 'our Logout, not answered: disconnect after the timeout', roles: BOTH,
    steps: ['logon', 'logout', '< 35=5|34=2', 'disconnect'] },
  { ref: '13b', title: 'a Logout with MsgSeqNum too low still gets its answer', roles: BOTH,
    steps: ['logon', '> 35=1|34=2|112=X', '< 35=0|34=2|112=X', '> 35=5|34=2', '< 35=5|34=3', 'disconnect'] },

  // 14: validation against the data dictionary
  { ref: '14a', title: 'an undefined tag: Reject 373=0', roles: BOTH,
    steps: ['logon', `> ${order(2, '', 'ID', '4500=X|')}`, '< 35=3|34=2|45=2|58=Invalid tag number|371=4500|372=D|373=0', ...logoutBy(3, 3)] },
  { ref: '14b', title: 'a required body tag missing: Reject 373=1', roles: BOTH,
    steps: ['logon', `> 35=D|34=2|21=3|40=1|54=1|55=INTC|${TRANSACT}`, '< 35=3|34=2|45=2|58=Required tag missing|371=11|372=D|373=1', ...logoutBy(3, 3)] },
  { ref: '14b', title: 'a required header tag missing: Reject 373=1 before the CompIDs are checked', roles: BOTH,
    steps: ['logon', '> 35=0|34=2|-56', '< 35=3|34=2|45=2|58=Required tag missing|371=56|372=0|373=1', ...logoutBy(3, 3)] },
  { ref: '14d', title: 'a header tag without a value: Reject 373=4 before the CompIDs are checked', roles: BOTH,
    steps: ['logon', '> 35=0|34=2|49=$T|52=<TIME>|56=', '< 35=3|34=2|45=2|58=Tag specified without a value|371=56|372=0|373=4', ...logoutBy(3, 3)] },
  { ref: '14c', title: 'a tag not defined for the message type: Reject 373=2', roles: BOTH,
    steps: ['logon', `> ${order(2, '', 'ID', '112=X|')}`, '< 35=3|34=2|45=2|58=Tag not defined for this message type|371=112|372=D|373=2', ...logoutBy(3, 3)] },
  { ref: '14d', title: 'a tag without a value: Reject 373=4', roles: BOTH,
    steps: ['logon', `> ${order(2, '', '')}`, '< 35=3|34=2|45=2|58=Tag specified without a value|371=11|372=D|373=4', ...logoutBy(3, 3)] },
  { ref: '14e', title: 'a value out of range: Reject 373=5', roles: BOTH,
    steps: ['logon', `> 35=D|34=2|11=ID|21=3|40=1|54=Z|55=INTC|${TRANSACT}`, '< 35=3|34=2|45=2|58=Value is incorrect (out of range) for this tag|371=54|372=D|373=5', ...logoutBy(3, 3)] },
  { ref: '14f', title: 'a value in the wrong format: Reject 373=6', roles: BOTH,
    steps: ['logon', `> ${order(2, '', 'ID', '38=1O0|')}`, '< 35=3|34=2|45=2|58=Incorrect data format for value|371=38|372=D|373=6', ...logoutBy(3, 3)] },
  { ref: '14g', title: 'a header tag among the body tags: Reject 373=14', roles: BOTH,
    steps: ['logon', `> ${order(2, '', 'ID', '97=N|')}`, '< 35=3|34=2|45=2|58=Tag specified out of required order|371=97|372=D|373=14', ...logoutBy(3, 3)] },
  { ref: '14h', title: 'a repeated tag: Reject 373=13', roles: BOTH,
    steps: ['logon', `> ${order(2, '', 'ID', '55=MSFT|')}`, '< 35=3|34=2|45=2|58=Tag appears more than once|371=55|372=D|373=13', ...logoutBy(3, 3)] },
  { ref: '14i', title: 'a NumInGroup that does not match the instances: Reject 373=16', roles: BOTH,
    steps: ['logon', `> ${order(2, '', 'ID', '78=2|79=ACC1|80=10|')}`, '< 35=3|34=2|45=2|58=Incorrect NumInGroup count for repeating group|371=78|372=D|373=16', ...logoutBy(3, 3)] },

  { ref: '14i, 14j', title: 'a repeating group that does not start with its first member: Reject 373=16 on the count', roles: BOTH,
    steps: ['logon', `> ${order(2, '', 'ID', '78=1|80=10|79=ACC1|')}`, '< 35=3|34=2|45=2|58=Incorrect NumInGroup count for repeating group|371=78|372=D|373=16', ...logoutBy(3, 3)] },
  { ref: '14j', title: 'repeating group members out of order within an instance', roles: BOTH, versions: ['FIX.4.4', 'FIXT.1.1'],
    steps: ['logon', `> ${order(2, '', 'ID', '78=1|79=ACC1|80=10|661=1|')}`,
      // QuickFIX does not check the member order inside an instance; the Test Case asks for 373=15.
      '<tg 35=3|34=2|45=2|58=Repeating group fields out of order|371=661|372=D|373=15',
      `<qf 35=D|34=2|11=ID|21=3|40=1|54=1|55=INTC|${TRANSACT}|78=1|79=ACC1|661=1|80=10`, ...logoutBy(3, 3)] },
  { ref: '14k', title: 'an SOH inside a value breaks the tag=value structure: ignored', roles: BOTH,
    steps: ['logon', '> 35=1|34=2|112=AB|CD', '> 35=1|34=2|112=X', '< 35=0|34=2|112=X', ...logoutBy(3, 3)] },

  // 15, 16, 18, 19, 20
  { ref: '16', title: 'a message sent while disconnected is stored and resent (PossDup) when the counterparty asks', roles: ACCEPTOR,
    steps: ['logon', ...logoutBy(2, 2), 'send order', 'quiet 200', 'connect', '> 35=A|34=3|98=0|108=30', '< 35=A|34=4|98=0|108=30',
      '> 35=2|34=4|7=3|16=0', `< 35=D|34=3|43=Y|122=<TIME>|11=Q|21=3|40=1|54=1|55=INTC|${TRANSACT}`,
      '< 35=4|34=4|43=Y|122=<TIME>|36=5|123=Y', ...logoutBy(5, 5)] },
  { ref: '15', title: 'header and body fields in an unusual order are accepted', roles: BOTH,
    steps: ['logon', `> 35=D|34=2|56=ISLD|52=<TIME>|49=$T|${TRANSACT}|55=INTC|54=1|40=1|21=3|11=ID`,
      // QuickFIX's echo puts the body in tag order; tickgate's echo keeps it as received.
      `<qf ${order(2)}`, `<tg 35=D|34=2|${TRANSACT}|55=INTC|54=1|40=1|21=3|11=ID`, ...logoutBy(3, 3)] },
  { ref: '18', title: 'a Reject carries the refused message\'s third-party routing reversed', roles: BOTH,
    steps: ['logon', `> 35=D|34=2|115=FUND|116=DESK|11=ID|21=3|40=1|54=Z|55=INTC|${TRANSACT}`,
      '< 35=3|34=2|128=FUND|129=DESK|45=2|58=Value is incorrect (out of range) for this tag|371=54|372=D|373=5', ...logoutBy(3, 3)] },
  { ref: '18', title: 'an empty routing tag is not sent back', roles: BOTH,
    steps: ['logon', `> 35=D|34=2|115=|11=ID|21=3|40=1|54=1|55=INTC|${TRANSACT}`,
      '< 35=3|34=2|45=2|58=Tag specified without a value|371=115|372=D|373=4', ...logoutBy(3, 3)] },
  { ref: '19a', title: 'PossResend of an order the application has seen: not processed again', roles: BOTH,
    steps: ['logon', `> ${order(2)}`, `< ${order(2)}`, `> ${order(3, '97=Y|')}`, '> 35=1|34=4|112=X', '< 35=0|34=3|112=X', ...logoutBy(5, 4)] },
  { ref: '19b', title: 'PossResend of an order the application has not seen: processed, flagged', roles: BOTH,
    steps: ['logon', `> ${order(2, '97=Y|')}`, `< ${order(2, '97=Y|')}`, ...logoutBy(3, 3)] },
  { ref: '20', title: 'a ResendRequest while ours is outstanding: theirs is served first, then our gap is filled', roles: BOTH,
    steps: ['logon', `> ${order(2)}`, `< ${order(2)}`, `> ${order(3)}`, `< ${order(3)}`, '> 35=0|34=7', '< 35=2|34=4|7=4|16=0',
      '> 35=2|34=8|7=2|16=3', `< ${order(2, '43=Y|122=<TIME>|')}`, `< ${order(3, '43=Y|122=<TIME>|')}`,
      '> 35=0|34=4|43=Y|122=<TIME>', '> 35=0|34=5|43=Y|122=<TIME>', '> 35=0|34=6|43=Y|122=<TIME>',
      // QuickFIX never counts the number of a ResendRequest that came too high (8), and asks for it again.
      '> 35=1|34=9|112=SYNC', '<qf 35=2|34=5|7=8|16=0', '<tg 35=0|34=5|112=SYNC', ...logoutBy(10, 6)] },
  { ref: '2b, 14f', title: 'a resent message that fails validation is rejected and the queue moves on', roles: BOTH,
    steps: ['logon', '> 35=1|34=3|112=ONE', '< 35=2|34=2|7=2|16=0', `> ${order(2, '43=Y|122=<TIME>|', 'ID', '38=1O0|')}`,
      '< 35=3|34=3|45=2|58=Incorrect data format for value|371=38|372=D|373=6', '< 35=0|34=4|112=ONE',
      '> 35=1|34=4|112=TWO', '< 35=0|34=5|112=TWO', ...logoutBy(5, 6)] },
];

