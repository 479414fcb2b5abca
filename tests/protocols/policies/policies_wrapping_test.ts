// Copyright 2026 the Torsion authors. MIT license.
// ProtocolWrapper and WrappingFactory: Twisted's WrapperTests
// (twisted/test/test_policies.py), plus the forwarding of the rest of
// ITCPTransport and the robustness of connectionLost.
import { deepEqual, doesNotThrow, equal, ok, throws } from "node:assert/strict";
import { Failure } from "../../../defer/failure.ts";
import { IPv4Address } from "../../../reactor/address.ts";
import { ConnectionDone } from "../../../reactor/errors.ts";
import {
  ClientFactory,
  type Factory,
  ServerFactory,
} from "../../../reactor/factory.ts";
import type {
  IAddress,
  IConnector,
  IProtocol,
  IProtocolFactory,
  ITransport,
} from "../../../reactor/interfaces.ts";
import { Protocol } from "../../../reactor/protocol.ts";
import { captureLog, StringTransport } from "../../../reactor/testing/mod.ts";
import {
  ProtocolWrapper,
  WrappingFactory,
} from "../../../protocols/policies/mod.ts";
import {
  addr,
  bytes,
  connect,
  EchoProtocol,
  Server,
  SimpleProtocol,
  SimpleServer,
} from "../../_policies_helpers.ts";

/** A wrapper of a plain Protocol connected to a StringTransport (Twisted's `_getWrapper`). */
function getWrapper(): {
  wrapper: ProtocolWrapper;
  transport: StringTransport;
} {
  const wrapper = new ProtocolWrapper(
    new WrappingFactory(new Server()),
    new Protocol(),
  );
  const transport = new StringTransport();
  wrapper.makeConnection(transport);
  return { wrapper, transport };
}

const noConnector = {} as IConnector;

Deno.test("WrappingFactory.buildProtocol() leaves the wrapped protocol's factory as the wrapped factory", () => {
  const f = new Server();
  const wf = new WrappingFactory(f);
  const p = wf.buildProtocol(addr())!;
  equal((p.wrappedProtocol as Protocol).factory, f);
  equal(p.factory, wf);
});

Deno.test("WrappingFactory.buildProtocol() wraps the wrapped factory's protocol in a ProtocolWrapper", () => {
  const p = new WrappingFactory(new Server()).buildProtocol(addr());
  ok(p instanceof ProtocolWrapper);
  ok(p.wrappedProtocol instanceof EchoProtocol);
});

Deno.test("WrappingFactory.buildProtocol() returns null when the wrapped factory refuses the connection", () => {
  class Refusing extends ServerFactory {
    override buildProtocol(_addr: IAddress): IProtocol | null {
      return null;
    }
  }
  const wf = new WrappingFactory(new Refusing());
  equal(wf.buildProtocol(addr()), null);
  equal(wf.protocols.size, 0);
});

Deno.test("WrappingFactory.buildProtocol() uses wrapProtocol() to make the wrapper", () => {
  class Marked extends ProtocolWrapper {}
  class MarkedFactory extends WrappingFactory {
    override wrapProtocol(p: IProtocol): Marked {
      return new Marked(this, p);
    }
  }
  ok(
    new MarkedFactory(new Server()).buildProtocol(addr()) instanceof Marked,
  );
});

Deno.test("WrappingFactory.logPrefix() names the wrapped factory and the wrapper", () => {
  equal(
    new WrappingFactory(new Server()).logPrefix(),
    "Server (WrappingFactory)",
  );
});

Deno.test("WrappingFactory.logPrefix() falls back to the wrapped factory's class name", () => {
  class NoFactory implements IProtocolFactory {
    buildProtocol(_addr: IAddress): IProtocol | null {
      return null;
    }
    doStart(): void {}
    doStop(): void {}
  }
  equal(
    new WrappingFactory(new NoFactory()).logPrefix(),
    "NoFactory (WrappingFactory)",
  );
});

Deno.test("ProtocolWrapper.logPrefix() names the wrapped protocol and the wrapper", () => {
  const p = new WrappingFactory(new Server()).buildProtocol(addr())!;
  equal(p.logPrefix(), "EchoProtocol (ProtocolWrapper)");
});

Deno.test("ProtocolWrapper.logPrefix() falls back to the wrapped protocol's class name", () => {
  class NoProtocol implements IProtocol {
    makeConnection(_t: ITransport): void {}
    connectionMade(): void {}
    dataReceived(_d: Uint8Array): void {}
    connectionLost(_r: Failure): void {}
  }
  const server = new Server();
  (server as Factory).protocol = NoProtocol;
  const p = new WrappingFactory(server).buildProtocol(addr())!;
  equal(p.logPrefix(), "NoProtocol (ProtocolWrapper)");
});

Deno.test("ProtocolWrapper.makeConnection() makes the wrapper the wrapped protocol's transport", () => {
  const proto = new SimpleProtocol();
  const wrapper = new ProtocolWrapper(new WrappingFactory(new Server()), proto);
  const transport = new StringTransport();
  wrapper.makeConnection(transport);
  equal(proto.transport, wrapper);
  equal(wrapper.transport, transport);
  equal(proto.made, 1);
  equal(wrapper.connected, true);
});

Deno.test("ProtocolWrapper.makeConnection() registers with the factory before connecting the wrapped protocol", () => {
  const factory = new WrappingFactory(new Server());
  let registeredFirst: boolean | null = null;
  class Probe extends Protocol {
    override connectionMade(): void {
      registeredFirst = factory.protocols.has(
        this.transport as ProtocolWrapper,
      );
    }
  }
  const wrapper = new ProtocolWrapper(factory, new Probe());
  wrapper.makeConnection(new StringTransport());
  equal(registeredFirst, true);
  deepEqual([...factory.protocols], [wrapper]);
});

Deno.test("ProtocolWrapper.getHost() returns the real transport's host", () => {
  const { wrapper, transport } = getWrapper();
  equal(wrapper.getHost(), transport.getHost());
});

Deno.test("ProtocolWrapper.getPeer() returns the real transport's peer", () => {
  const { wrapper, transport } = getWrapper();
  equal(wrapper.getPeer(), transport.getPeer());
});

Deno.test("ProtocolWrapper.registerProducer() registers with the real transport", () => {
  const { wrapper, transport } = getWrapper();
  const producer = new EchoProtocol();
  wrapper.registerProducer(producer, true);
  equal(transport.producer, producer);
  equal(transport.streaming, true);
});

Deno.test("ProtocolWrapper.unregisterProducer() unregisters from the real transport", () => {
  const { wrapper, transport } = getWrapper();
  wrapper.registerProducer(new EchoProtocol(), true);
  wrapper.unregisterProducer();
  equal(transport.producer, null);
  equal(transport.streaming, null);
});

Deno.test("ProtocolWrapper.stopConsuming() calls the real transport's stopConsuming", () => {
  const { wrapper, transport } = getWrapper();
  const result: boolean[] = [];
  Object.assign(transport, { stopConsuming: () => result.push(true) });
  wrapper.stopConsuming();
  deepEqual(result, [true]);
  equal(transport.disconnecting, false);
});

Deno.test("ProtocolWrapper.stopConsuming() closes the connection when the real transport has no stopConsuming", () => {
  const { wrapper, transport } = getWrapper();
  wrapper.stopConsuming();
  equal(transport.disconnecting, true);
});

Deno.test("ProtocolWrapper.write() and writeSequence() write to the real transport", () => {
  const { wrapper, transport } = getWrapper();
  wrapper.write(bytes("a"));
  wrapper.write("b");
  wrapper.writeSequence([bytes("c"), "d"]);
  equal(transport.valueText(), "abcd");
});

Deno.test("ProtocolWrapper.loseConnection() sets disconnecting and closes the real transport", () => {
  const { wrapper, transport } = getWrapper();
  equal(wrapper.disconnecting, false);
  wrapper.loseConnection();
  equal(wrapper.disconnecting, true);
  equal(transport.disconnecting, true);
});

Deno.test("ProtocolWrapper.disconnecting is true while the real transport is disconnecting", () => {
  const { wrapper, transport } = getWrapper();
  transport.loseConnection();
  equal(wrapper.disconnecting, true);
});

Deno.test("ProtocolWrapper.abortConnection() aborts the real transport", () => {
  const { wrapper, transport } = getWrapper();
  wrapper.abortConnection();
  equal(transport.disconnected, true);
});

Deno.test("ProtocolWrapper.loseWriteConnection() half-closes the real transport", () => {
  const { wrapper, transport } = getWrapper();
  wrapper.loseWriteConnection();
  equal(transport.writeDisconnected, true);
  equal(transport.disconnecting, false);
});

Deno.test("ProtocolWrapper.pauseProducing(), resumeProducing() and stopProducing() drive the real transport", () => {
  const { wrapper, transport } = getWrapper();
  wrapper.pauseProducing();
  equal(transport.producerState, "paused");
  wrapper.resumeProducing();
  equal(transport.producerState, "producing");
  wrapper.stopProducing();
  equal(transport.producerState, "stopped");
});

Deno.test("ProtocolWrapper forwards the TCP options to the real transport", () => {
  const { wrapper, transport } = getWrapper();
  wrapper.setTcpNoDelay(false);
  wrapper.setTcpKeepAlive(true);
  equal(transport.getTcpNoDelay(), false);
  equal(transport.getTcpKeepAlive(), true);
  equal(wrapper.getTcpNoDelay(), false);
  equal(wrapper.getTcpKeepAlive(), true);
});

Deno.test("ProtocolWrapper.dataReceived() hands every byte to the wrapped protocol at every chunk size", () => {
  const input = "hello, wrapped world";
  for (let size = 1; size <= input.length; size++) {
    const p = new WrappingFactory(new SimpleServer()).buildProtocol(addr())!;
    connect(p);
    const data = bytes(input);
    for (let i = 0; i < data.length; i += size) {
      p.dataReceived(data.subarray(i, i + size));
    }
    equal((p.wrappedProtocol as SimpleProtocol).buffer, input, `size ${size}`);
  }
});

Deno.test("ProtocolWrapper lets the wrapped protocol write through it to the real transport", () => {
  const p = new WrappingFactory(new Server()).buildProtocol(addr())!;
  const transport = connect(p);
  p.dataReceived(bytes("echo me"));
  equal(transport.valueText(), "echo me");
});

Deno.test("ProtocolWrapper.connectionLost() unregisters and hands the reason to the wrapped protocol", () => {
  const factory = new WrappingFactory(new SimpleServer());
  const p = factory.buildProtocol(addr())!;
  const proto = p.wrappedProtocol as SimpleProtocol;
  const transport = connect(p);
  equal(factory.protocols.size, 1);
  transport.loseConnection();
  equal(factory.protocols.size, 0);
  equal(proto.disconnected, 1);
  ok(proto.reason?.check(ConnectionDone));
});

Deno.test("ProtocolWrapper.connectionLost() lets go of the wrapped protocol", () => {
  const wrapper = new ProtocolWrapper(
    new WrappingFactory(new Server()),
    new Protocol(),
  );
  const transport = connect(wrapper);
  ok(wrapper.wrappedProtocol !== null);
  transport.loseConnection();
  equal(wrapper.wrappedProtocol, null);
});

Deno.test("ProtocolWrapper.connectionLost() sets connected to false", () => {
  const p = new WrappingFactory(new Server()).buildProtocol(addr())!;
  const transport = connect(p);
  equal(p.connected, true);
  transport.loseConnection();
  equal(p.connected, false);
});

Deno.test("ProtocolWrapper.connectionLost() ignores a second call", () => {
  const factory = new WrappingFactory(new SimpleServer());
  const p = factory.buildProtocol(addr())!;
  const proto = p.wrappedProtocol as SimpleProtocol;
  p.makeConnection(new StringTransport());
  const reason = new Failure(new ConnectionDone());
  p.connectionLost(reason);
  p.connectionLost(reason);
  equal(proto.disconnected, 1);
});

Deno.test("ProtocolWrapper.connectionLost() unregisters and lets go even when the wrapped protocol throws", () => {
  const factory = new WrappingFactory(new Server());
  class Broken extends Protocol {
    override connectionLost(_reason: Failure): void {
      throw new Error("broken connectionLost");
    }
  }
  const p = new ProtocolWrapper(factory, new Broken());
  p.makeConnection(new StringTransport());
  throws(
    () => p.connectionLost(new Failure(new ConnectionDone())),
    /broken connectionLost/,
  );
  equal(factory.protocols.size, 0);
  equal(p.wrappedProtocol, null);
});

Deno.test("ProtocolWrapper.dataReceived() drops data after connectionLost", () => {
  const p = new WrappingFactory(new SimpleServer()).buildProtocol(addr())!;
  const proto = p.wrappedProtocol as SimpleProtocol;
  const transport = connect(p);
  transport.loseConnection();
  p.dataReceived(bytes("late"));
  equal(proto.buffer, "");
});

Deno.test("ProtocolWrapper: a wrapped protocol throwing in dataReceived leaves other connections working", () => {
  const factory = new WrappingFactory(new Server());
  class Broken extends Protocol {
    override dataReceived(_data: Uint8Array): void {
      throw new TypeError("bad input");
    }
  }
  const bad = new ProtocolWrapper(factory, new Broken());
  connect(bad);
  const good = factory.buildProtocol(addr())!;
  const goodTransport = connect(good);
  throws(() => bad.dataReceived(bytes("x")), TypeError);
  good.dataReceived(bytes("still fine"));
  equal(goodTransport.valueText(), "still fine");
  equal(factory.protocols.size, 2);
});

Deno.test("WrappingFactory.startedConnecting() calls the wrapped factory's startedConnecting", () => {
  const result: IConnector[] = [];
  class F extends ClientFactory {
    override startedConnecting(connector: IConnector): void {
      result.push(connector);
    }
  }
  new WrappingFactory(new F()).startedConnecting(noConnector);
  deepEqual(result, [noConnector]);
});

Deno.test("WrappingFactory.clientConnectionLost() calls the wrapped factory's clientConnectionLost", () => {
  const result: [IConnector, Failure][] = [];
  class F extends ClientFactory {
    override clientConnectionLost(c: IConnector, reason: Failure): void {
      result.push([c, reason]);
    }
  }
  const reason = new Failure(new ConnectionDone());
  new WrappingFactory(new F()).clientConnectionLost(noConnector, reason);
  deepEqual(result, [[noConnector, reason]]);
});

Deno.test("WrappingFactory.clientConnectionFailed() calls the wrapped factory's clientConnectionFailed", () => {
  const result: [IConnector, Failure][] = [];
  class F extends ClientFactory {
    override clientConnectionFailed(c: IConnector, reason: Failure): void {
      result.push([c, reason]);
    }
  }
  const reason = new Failure(new Error("refused"));
  new WrappingFactory(new F()).clientConnectionFailed(noConnector, reason);
  deepEqual(result, [[noConnector, reason]]);
});

Deno.test("WrappingFactory client hooks do nothing when the wrapped factory has none", () => {
  const plain: IProtocolFactory = {
    buildProtocol: () => null,
    doStart: () => {},
    doStop: () => {},
  };
  const wf = new WrappingFactory(plain);
  const reason = new Failure(new Error("x"));
  doesNotThrow(() => {
    wf.startedConnecting(noConnector);
    wf.clientConnectionFailed(noConnector, reason);
    wf.clientConnectionLost(noConnector, reason);
  });
});

Deno.test("WrappingFactory.doStart() and doStop() run the wrapped factory's first", () => {
  const events: string[] = [];
  class Wrapped extends ServerFactory {
    override startFactory(): void {
      events.push("wrapped start");
    }
    override stopFactory(): void {
      events.push("wrapped stop");
    }
  }
  class Wrapping extends WrappingFactory {
    override startFactory(): void {
      events.push("wrapping start");
    }
    override stopFactory(): void {
      events.push("wrapping stop");
    }
  }
  using _log = captureLog();
  const wrapped = new Wrapped();
  const f = new Wrapping(wrapped);
  f.doStart();
  equal(wrapped.numPorts, 1);
  equal(f.numPorts, 1);
  f.doStop();
  deepEqual(events, [
    "wrapped start",
    "wrapping start",
    "wrapped stop",
    "wrapping stop",
  ]);
  equal(wrapped.numPorts, 0);
});

Deno.test("WrappingFactory.protocols holds a wrapper only once it is connected", () => {
  const f = new WrappingFactory(new Server());
  const p = f.buildProtocol(new IPv4Address("TCP", "10.0.0.9", 1));
  ok(p !== null);
  equal(f.protocols.size, 0);
  p.makeConnection(new StringTransport());
  equal(f.protocols.size, 1);
});
