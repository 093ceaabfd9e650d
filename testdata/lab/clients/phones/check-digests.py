#!/usr/bin/env python3
"""Print the SIP auth exchange of a capture and check every digest answer
against the given passwords (MD5 / SHA-256, qop auth / auth-int / none).
Used to write expected-phones.json from the packets, not from sipdbg.

    check-digests.py FILE.pcap REALM:USER:PASSWORD ...

Note: an ACK that repeats the INVITE's credentials is checked with method
ACK and therefore shows "nomatch" (the response was computed for INVITE).
"""
import subprocess,sys,hashlib,re
f=sys.argv[1]; pws=sys.argv[2:]  # realm:user:pw
out=subprocess.run(['tshark','-r',f,'-Y','sip','-T','fields','-E','separator=|','-e','frame.number','-e','sip.Method','-e','sip.Status-Code','-e','sip.CSeq','-e','sip.Call-ID','-e','sip.WWW-Authenticate','-e','sip.Proxy-Authenticate','-e','sip.Authorization','-e','sip.Proxy-Authorization','-e','sip.Request-Line'],capture_output=True,text=True).stdout
def H(alg,s):
    return (hashlib.sha256 if alg.upper().startswith('SHA-256') else hashlib.md5)(s.encode()).hexdigest()
for line in out.splitlines():
    fr,meth,st,cseq,cid,www,pxa,auth,pauth,rl=line.split('|')
    print(fr,meth or st,cseq,cid[:12])
    for h,name in ((www,'WWW'),(pxa,'PxA')):
        if h: print('   ',name,h)
    for h,name in ((auth,'Authz'),(pauth,'PxAuthz')):
        for cred in re.split(r',(?=\s*Digest)',h) if h else []:
            p=dict((k.lower(),v.strip('"')) for k,v in re.findall(r'(\w+)=("[^"]*"|[^,\s]+)',cred))
            alg=p.get('algorithm','MD5'); m=meth
            res='?'
            for pw in pws:
                r,u,pp=pw.split(':')
                if r!=p.get('realm') or u!=p.get('username'): continue
                ha1=H(alg,f"{u}:{r}:{pp}"); ha2=H(alg,f"{m}:{p['uri']}:{H(alg,'')}") if p.get('qop')=='auth-int' else H(alg,f"{m}:{p['uri']}")
                if p.get('qop'): exp=H(alg,f"{ha1}:{p['nonce']}:{p['nc']}:{p['cnonce']}:{p['qop']}:{ha2}")
                else: exp=H(alg,f"{ha1}:{p['nonce']}:{ha2}")
                res='MATCH '+pw if exp==p.get('response') else 'nomatch '+pw
                if exp==p.get('response'): break
            print('   ',name,'realm=%s user=%s nonce=%s nc=%s qop=%s alg=%s uri=%s -> %s'%(p.get('realm'),p.get('username'),p.get('nonce','')[:10],p.get('nc'),p.get('qop'),alg,p.get('uri'),res))
