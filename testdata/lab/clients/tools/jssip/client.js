#!/usr/bin/env node
// JsSIP (the browser SIP stack) run under node over a WebSocket to the lab
// Kamailio, for the sipdbg client captures (see ../README.md).
//
//   node client.js register WS_URL USER PASSWORD     REGISTER, then stop
//   node client.js invite   WS_URL USER PASSWORD TARGET
//
// register: the UA registers (REGISTER -> 401 -> REGISTER with Authorization)
//   and exits 0 on "registered", 2 on "registrationFailed" (printed).
// invite: no registration; calls TARGET (INVITE -> 407 -> ACK -> INVITE with
//   Proxy-Authorization -> 200 -> ACK), hangs up after 1 s (BYE), exits 0 on
//   "ended" after confirmation, 2 on "failed".
//
// Node has no WebRTC: a minimal stand-in RTCPeerConnection gives JsSIP a fixed
// SDP offer (audio to 127.0.0.1, no ICE candidates to wait for) and accepts any
// answer. No media is sent. The WebSocket comes from the "ws" package, set as
// the global WebSocket that JsSIP.WebSocketInterface uses in a browser.
'use strict';

const WebSocket = require('ws');

globalThis.window = globalThis;
globalThis.WebSocket = WebSocket;

const OFFER_SDP = [
	'v=0',
	'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
	's=-',
	't=0 0',
	'm=audio 16500 RTP/AVP 0 8 101',
	'c=IN IP4 127.0.0.1',
	'a=rtpmap:0 PCMU/8000',
	'a=rtpmap:8 PCMA/8000',
	'a=rtpmap:101 telephone-event/8000',
	'a=sendrecv',
	''
].join('\r\n');

class FakePeerConnection {
	constructor() {
		this.iceGatheringState = 'complete';
		this.iceConnectionState = 'new';
		this.signalingState = 'stable';
		this.connectionState = 'new';
		this.localDescription = null;
		this.remoteDescription = null;
	}
	addEventListener() {}
	removeEventListener() {}
	addTrack() {}
	getSenders() { return []; }
	getReceivers() { return []; }
	getLocalStreams() { return []; }
	getRemoteStreams() { return []; }
	createOffer() { return Promise.resolve({ type: 'offer', sdp: OFFER_SDP }); }
	createAnswer() { return Promise.resolve({ type: 'answer', sdp: OFFER_SDP }); }
	setLocalDescription(d) { this.localDescription = d; return Promise.resolve(); }
	setRemoteDescription(d) { this.remoteDescription = d; return Promise.resolve(); }
	close() { this.signalingState = 'closed'; }
}
globalThis.RTCPeerConnection = FakePeerConnection;
globalThis.RTCSessionDescription = function (d) { return d; };

const JsSIP = require('jssip');

const [mode, wsUrl, user, password, target] = process.argv.slice(2);
if (!mode || !wsUrl || !user || password === undefined || (mode === 'invite' && !target)) {
	console.error('usage: client.js register|invite WS_URL USER PASSWORD [TARGET]');
	process.exit(64);
}

const socket = new JsSIP.WebSocketInterface(wsUrl);
const ua = new JsSIP.UA({
	sockets: [socket],
	uri: `sip:${user}@sipdbg.test`,
	password,
	register: mode === 'register',
	register_expires: 300,
	session_timers: false,
	user_agent: `JsSIP ${JsSIP.version} (node ${process.version}, sipdbg tools lab)`
});

function done(code, msg) {
	console.log(msg);
	// let the last message leave the socket, then close it
	setTimeout(() => {
		ua.stop();
		setTimeout(() => process.exit(code), 500);
	}, 300);
}

ua.on('registered', () => done(0, `registered ${user}`));
ua.on('registrationFailed', (e) => done(2, `registrationFailed ${user}: ${e.cause}`));

if (mode === 'invite') {
	ua.on('connected', () => {
		const session = ua.call(target, {
			mediaConstraints: { audio: false, video: false },
			eventHandlers: {
				progress: (e) => console.log(`progress ${e.response ? e.response.status_code : ''}`),
				confirmed: () => {
					console.log('confirmed');
					setTimeout(() => session.terminate(), 1000);
				},
				ended: (e) => done(0, `ended: ${e.cause}`),
				failed: (e) => done(2, `failed: ${e.cause}`)
			}
		});
	});
}

ua.start();
