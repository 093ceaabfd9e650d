#!/usr/bin/env node
// SIP.js (the browser SIP stack, 0.21) run under node over a WebSocket to the
// lab Kamailio, for the sipdbg client captures (see ../README.md).
//
//   node client.js register WS_URL USER PASSWORD     REGISTER, un-REGISTER, stop
//   node client.js invite   WS_URL USER PASSWORD TARGET
//
// register: a Registerer registers (REGISTER -> 401 -> REGISTER with
//   Authorization); when accepted it un-registers (Expires 0) and stops, exit 0;
//   when rejected it stops at once, exit 2 (the final status is printed).
// invite: no registration; an Inviter calls TARGET (INVITE -> 407 -> ACK ->
//   INVITE with Proxy-Authorization -> 200 -> ACK), hangs up after 1 s (BYE),
//   exits 0 once the session is terminated after being established, 2 otherwise.
//
// Node has no WebRTC: a stand-in SessionDescriptionHandler gives SIP.js a fixed
// SDP offer/answer (audio to 127.0.0.1) and accepts any remote description. No
// media is sent. Node 20 has no global WebSocket: the "ws" package is set as
// the global one that SIP.js's web transport opens (subprotocol "sip").
// sip.js is an ES module, loaded with import() from this CommonJS script.
'use strict';

globalThis.WebSocket = require('ws');

const SDP = [
	'v=0',
	'o=- 4611731400430051337 2 IN IP4 127.0.0.1',
	's=-',
	't=0 0',
	'm=audio 16600 RTP/AVP 0 8 101',
	'c=IN IP4 127.0.0.1',
	'a=rtpmap:0 PCMU/8000',
	'a=rtpmap:8 PCMA/8000',
	'a=rtpmap:101 telephone-event/8000',
	'a=sendrecv',
	''
].join('\r\n');

// FakeSDH is the SessionDescriptionHandler SIP.js asks for an offer or answer.
class FakeSDH {
	close() {}
	getDescription() { return Promise.resolve({ body: SDP, contentType: 'application/sdp' }); }
	hasDescription(contentType) { return contentType === 'application/sdp'; }
	setDescription() { return Promise.resolve(); }
	sendDtmf() { return false; }
}

const [mode, wsUrl, user, password, target] = process.argv.slice(2);
if (!['register', 'invite'].includes(mode) || !wsUrl || !user || password === undefined || (mode === 'invite' && !target)) {
	console.error('usage: client.js register|invite WS_URL USER PASSWORD [TARGET]');
	process.exit(64);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
	const SIP = await import('sip.js');
	const ua = new SIP.UserAgent({
		uri: SIP.UserAgent.makeURI(`sip:${user}@sipdbg.test`),
		authorizationUsername: user,
		authorizationPassword: password,
		transportOptions: { server: wsUrl },
		sessionDescriptionHandlerFactory: () => new FakeSDH(),
		// SIP.version says 0.21.1 in the 0.21.2 package: name the package's version
		userAgentString: `SIP.js/${require('sip.js/package.json').version} (node ${process.version}, sipdbg tools lab)`,
		logLevel: 'warn'
	});

	// stop: let the last message leave the socket, then close it
	async function stop(code, msg) {
		console.log(msg);
		await sleep(300);
		await ua.stop();
		await sleep(500);
		process.exit(code);
	}

	await ua.start();

	if (mode === 'register') {
		const registerer = new SIP.Registerer(ua, { expires: 300 });
		// outcome REQUEST: resolves with the final response's status (and reason)
		const outcome = (send) => new Promise((resolve, reject) => {
			const delegate = {
				onAccept: (r) => resolve(`${r.message.statusCode} ${r.message.reasonPhrase}`),
				onReject: (r) => resolve(`rejected ${r.message.statusCode} ${r.message.reasonPhrase}`)
			};
			send({ requestDelegate: delegate }).catch(reject);
		});
		const reg = await outcome((o) => registerer.register(o));
		console.log(`register ${user}: ${reg}`);
		if (registerer.state !== SIP.RegistererState.Registered) {
			return stop(2, `registration failed ${user}`);
		}
		await sleep(300);
		const unreg = await outcome((o) => registerer.unregister(o));
		return stop(0, `unregister ${user}: ${unreg}`);
	}

	const uri = SIP.UserAgent.makeURI(target);
	if (!uri) {
		console.error(`bad target ${target}`);
		process.exit(64);
	}
	const inviter = new SIP.Inviter(ua, uri);
	let established = false;
	inviter.stateChange.addListener((state) => {
		console.log(`session ${state}`);
		if (state === SIP.SessionState.Established) {
			established = true;
			setTimeout(() => inviter.bye().catch((e) => console.log(`bye: ${e}`)), 1000);
		} else if (state === SIP.SessionState.Terminated) {
			stop(established ? 0 : 2, established ? 'ended' : 'failed');
		}
	});
	await inviter.invite({
		requestDelegate: {
			onProgress: (r) => console.log(`progress ${r.message.statusCode}`),
			onReject: (r) => console.log(`rejected ${r.message.statusCode} ${r.message.reasonPhrase}`)
		}
	});
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
