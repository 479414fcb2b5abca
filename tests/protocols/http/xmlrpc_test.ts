// Copyright 2026 the Torsion authors. MIT license.
// XML-RPC: the XMLRPC resource and Proxy, after
// twisted/web/test/test_xmlrpc.py, and interop both ways with Python's
// xmlrpc.client and xmlrpc.server.
import { deepEqual, equal, match, ok, throws } from "node:assert/strict";
import { Deferred } from "../../../defer/deferred.ts";
import type { Failure } from "../../../defer/failure.ts";
import type { IPv4Address } from "../../../reactor/mod.ts";
import type { Reactor } from "../../../reactor/reactor.ts";
import { captureLog } from "../../../reactor/testing/mod.ts";
import {
  addIntrospection,
  dumpsCall,
  dumpsResponse,
  FAILURE,
  Fault,
  loadsCall,
  loadsResponse,
  NOT_FOUND,
  Proxy,
  Resource,
  Site,
  XMLRPC,
  type XMLRPCValue,
} from "../../../protocols/http/mod.ts";
import { needs, Peer } from "../../_interop.ts";
import { withReactor } from "../../_reactor.ts";
import { responses, Served } from "./_http_helpers.ts";

class Test extends XMLRPC {
  pending = new Deferred<string>();
  xmlrpcEcho(...args: XMLRPCValue[]): XMLRPCValue {
    return args.length === 1 ? args[0] : args;
  }
  xmlrpcAdd(a: number, b: number): number {
    return a + b;
  }
  xmlrpcFail(): never {
    throw new Fault(12, "hello");
  }
  xmlrpcBroken(): never {
    throw new Error("internal detail");
  }
  xmlrpcDeferred(): Deferred<string> {
    return this.pending;
  }
  xmlrpcLater(): Promise<string> {
    return Promise.resolve("later");
  }
}

class Math extends XMLRPC {
  xmlrpcSquare(n: number): number {
    return n * n;
  }
}

function call(method: string, ...params: XMLRPCValue[]): string {
  const body = dumpsCall(method, params, true);
  return `POST /RPC2 HTTP/1.1\r\nHost: h\r\nContent-Type: text/xml\r\nContent-Length: ${
    new TextEncoder().encode(body).length
  }\r\n\r\n${body}`;
}

function answer(s: Served): XMLRPCValue | Fault {
  const [r] = responses(s.take());
  equal(r.status, "HTTP/1.1 200 OK");
  equal(r.headers.get("content-type"), "text/xml; charset=utf-8");
  try {
    return loadsResponse(r.body);
  } catch (e) {
    if (e instanceof Fault) return e;
    throw e;
  }
}

function served(): { s: Served; rpc: Test } {
  const rpc = new Test({ allowNone: true });
  rpc.putSubHandler("math", new Math());
  addIntrospection(rpc);
  const root = new Resource();
  root.putChild("RPC2", rpc);
  return { s: new Served(root), rpc };
}

Deno.test("xmlrpc: values round-trip", () => {
  const values: XMLRPCValue[] = [
    0,
    -7,
    2147483648,
    1.5,
    "a <b> & 'c' é 🎉",
    "",
    true,
    false,
    null,
    new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
    new Uint8Array([0, 1, 2, 255]),
    [1, ["nested", [true]]],
    { a: 1, "b c": { d: [] }, __proto__x: "x" },
  ];
  deepEqual(loadsCall(dumpsCall("m", values, true)), ["m", values]);
  for (const v of values) deepEqual(loadsResponse(dumpsResponse(v, true)), v);
  throws(() => dumpsCall("m", [null]), TypeError);
});

Deno.test("xmlrpc: untyped values are strings; bad XML is refused", () => {
  deepEqual(
    loadsCall(
      "<?xml version='1.0'?><methodCall><methodName>x</methodName><params><param><value>  s </value></param><param><value><i4>3</i4></value></param></params></methodCall>",
    ),
    ["x", ["  s ", 3]],
  );
  throws(() => loadsCall("<methodCall>"));
  throws(() => loadsCall("<methodCall></methodResponse>"));
  throws(
    () =>
      loadsCall(
        '<!DOCTYPE x [<!ENTITY a "aaaa">]><methodCall><methodName>&a;</methodName></methodCall>',
      ),
    /Document type/,
  );
  throws(() => loadsCall("<a>".repeat(100) + "</a>".repeat(100)), /deeply/);
});

Deno.test("xmlrpc: procedures, faults, sub-handlers, Deferreds", async () => {
  const { s, rpc } = served();
  s.send(call("add", 2, 3));
  equal(answer(s), 5);
  s.send(call("echo", "x", [1, { k: null }]));
  deepEqual(answer(s), ["x", [1, { k: null }]]);
  s.send(call("math.square", 9));
  equal(answer(s), 81);

  s.send(call("fail"));
  const fault = answer(s) as Fault;
  equal(fault.faultCode, 12);
  equal(fault.faultString, "hello");

  s.send(call("nosuch"));
  equal((answer(s) as Fault).faultCode, NOT_FOUND);
  s.send(call("nomath.square", 1));
  equal((answer(s) as Fault).faultCode, NOT_FOUND);
  s.send(call("constructor"));
  equal((answer(s) as Fault).faultCode, NOT_FOUND);

  using logs = captureLog();
  s.send(call("broken"));
  const broken = answer(s) as Fault;
  equal(broken.faultCode, FAILURE);
  ok(!broken.faultString.includes("internal detail"));
  equal(logs.flushLoggedErrors().length, 1);

  s.send(call("deferred"));
  equal(s.take(), "");
  rpc.pending.callback("fired");
  equal(answer(s), "fired");

  const { promise, resolve } = Promise.withResolvers<void>();
  s.site.log = () => resolve();
  s.send(call("later"));
  await promise;
  equal(answer(s), "later");

  s.send(call("system.listMethods"));
  deepEqual(answer(s), [
    "add",
    "broken",
    "deferred",
    "echo",
    "fail",
    "later",
    "math.square",
    "system.listMethods",
  ]);
  deepEqual(rpc.listProcedures(), [
    "add",
    "broken",
    "deferred",
    "echo",
    "fail",
    "later",
  ]);
});

Deno.test("xmlrpc: a body that is not a call gets a fault", () => {
  const { s } = served();
  s.send(
    "POST /RPC2 HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello",
  );
  const f = answer(s) as Fault;
  equal(f.faultCode, FAILURE);
  match(f.faultString, /Bad XML-RPC call/);
  s.send("GET /RPC2 HTTP/1.1\r\nHost: h\r\n\r\n");
  equal(responses(s.take())[0].status, "HTTP/1.1 405 Method Not Allowed");
});

function listen(
  reactor: Reactor,
): { url: string; stop: () => PromiseLike<void> } {
  const root = new Resource();
  const rpc = new Test({ allowNone: true });
  rpc.putSubHandler("math", new Math());
  root.putChild("RPC2", rpc);
  const port = reactor.listenTCP(0, new Site(root), {
    interface: "127.0.0.1",
  });
  return {
    url: `http://127.0.0.1:${(port.getHost() as IPv4Address).port}/RPC2`,
    stop: () => port.stopListening(),
  };
}

Deno.test("xmlrpc: Proxy against our server", async () => {
  await withReactor(async (reactor) => {
    const { url, stop } = listen(reactor);
    try {
      const proxy = new Proxy(url, { reactor, allowNone: true });
      equal(await proxy.callRemote("add", 40, 2), 42);
      equal(await proxy.callRemote("math.square", 7), 49);
      deepEqual(await proxy.callRemote("echo", { a: [null, true] }), {
        a: [null, true],
      });
      const fault = await new Promise<Failure>((resolve) => {
        proxy.callRemote("fail").addErrback((f) => {
          resolve(f);
        });
      });
      ok(fault.value instanceof Fault);
      equal((fault.value as Fault).faultCode, 12);
    } finally {
      await stop();
    }
  });
});

const PY_CLIENT = `
import sys, xmlrpc.client, datetime
p = xmlrpc.client.ServerProxy(sys.argv[1], allow_none=True)
print(p.add(2, 3))
print(p.math.square(12))
print(repr(p.echo({"k": [1, 2.5, "é", True, None]})))
print(p.echo(xmlrpc.client.Binary(b"\\x00\\x01")).data)
print(p.echo(datetime.datetime(2026, 1, 2, 3, 4, 5)))
try:
    p.fail()
except xmlrpc.client.Fault as f:
    print("fault", f.faultCode, f.faultString)
try:
    p.nosuch()
except xmlrpc.client.Fault as f:
    print("fault", f.faultCode)
`;

Deno.test({
  name: "xmlrpc interop: Python's xmlrpc.client calls our server",
  ...needs("python3", true),
  async fn() {
    await withReactor(async (reactor) => {
      const { url, stop } = listen(reactor);
      try {
        const child = new Deno.Command("/usr/bin/python3", {
          args: ["-c", PY_CLIENT, url],
          stdout: "piped",
          stderr: "piped",
        }).spawn();
        const out = await child.output();
        const text = new TextDecoder().decode(out.stdout);
        ok(out.success, new TextDecoder().decode(out.stderr));
        deepEqual(text.trim().split("\n"), [
          "5",
          "144",
          "{'k': [1, 2.5, 'é', True, None]}",
          "b'\\x00\\x01'",
          "20260102T03:04:05",
          "fault 12 hello",
          `fault ${NOT_FOUND}`,
        ]);
      } finally {
        await stop();
      }
    });
  },
});

const PY_SERVER = `
from xmlrpc.server import SimpleXMLRPCServer, SimpleXMLRPCRequestHandler
import xmlrpc.client
class Quiet(SimpleXMLRPCRequestHandler):
    def log_message(self, *a): pass
s = SimpleXMLRPCServer(("127.0.0.1", 0), requestHandler=Quiet, allow_none=True, logRequests=False)
s.register_function(lambda a, b: a * b, "mul")
s.register_function(lambda x: x, "echo")
def boom():
    raise xmlrpc.client.Fault(7, "boom")
s.register_function(boom, "boom")
print(s.server_address[1], flush=True)
s.serve_forever()
`;

Deno.test({
  name: "xmlrpc interop: Proxy calls Python's xmlrpc.server",
  ...needs("python3", true),
  async fn() {
    await using server = new Peer("/usr/bin/python3", ["-c", PY_SERVER]);
    const port = Number(await server.line());
    await withReactor(async (reactor) => {
      const proxy = new Proxy(`http://127.0.0.1:${port}/RPC2`, {
        reactor,
        allowNone: true,
      });
      equal(await proxy.callRemote("mul", 6, 7), 42);
      const value = {
        s: "é <&>",
        l: [1, 2.5, true, null],
        d: new Date(Date.UTC(2026, 4, 6, 7, 8, 9)),
        b: new Uint8Array([0, 200]),
      };
      deepEqual(await proxy.callRemote("echo", value), value);
      const fault = await new Promise<Failure>((resolve) => {
        proxy.callRemote("boom").addErrback((f) => {
          resolve(f);
        });
      });
      equal((fault.value as Fault).faultCode, 7);
      equal((fault.value as Fault).faultString, "boom");
    });
  },
});
