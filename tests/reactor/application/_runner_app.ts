// Copyright 2026 the Torsion authors. MIT license.
// The application runner_test.ts runs: a TCP echo port on 127.0.0.1 (port
// 0), then three services, "first", "second" and "third", that log their
// start and stop. RUNNER_APP (environment) changes it:
//   fail-start       "second" throws from startService
//   fail-privileged  a service throws from privilegedStartService
//   hang-stop        "third" never finishes stopping
//   uid              the Application asks for uid 12345
//   where            "first" logs the directory and umask it runs with
//   forgotten        "first" leaves a rejected promise and a throwing timer
import { Deferred, log } from "../../../defer/mod.ts";
import {
  Application,
  Service,
  TCPServer,
} from "../../../reactor/application/mod.ts";
import { Factory, Protocol } from "../../../reactor/mod.ts";

const mode = Deno.env.get("RUNNER_APP") ?? "";

class Echo extends Protocol {
  override dataReceived(data: Uint8Array): void {
    this.transport.write(data);
  }
}

class Named extends Service {
  constructor(name: string) {
    super();
    this.setName(name);
  }

  override startService(): void {
    super.startService();
    if (mode === "fail-start" && this.name === "second") {
      throw new RangeError("no database");
    }
    if (mode === "where" && this.name === "first") {
      const mask = Deno.umask(0);
      Deno.umask(mask);
      log.msg(`cwd ${Deno.cwd()} umask ${mask.toString(8)}`);
    }
    if (mode === "forgotten" && this.name === "first") {
      Promise.reject(new Error("a promise nobody awaited"));
      setTimeout(() => {
        throw new TypeError("a timer that threw");
      }, 0);
    }
    log.msg(`start ${this.name}`);
  }

  override stopService(): void | Deferred<void> {
    super.stopService();
    log.msg(`stop ${this.name}`);
    if (mode === "hang-stop" && this.name === "third") {
      return new Deferred<void>();
    }
  }
}

class BadPrivileges extends Service {
  override privilegedStartService(): void {
    throw new Error("port 80 needs root");
  }
}

export const application = new Application("fixture", {
  uid: mode === "uid" ? 12345 : null,
});
const tcp = new TCPServer(0, Factory.forProtocol(Echo), {
  interface: "127.0.0.1",
});
tcp.setName("tcp");
tcp.setServiceParent(application);
if (mode === "fail-privileged") {
  const bad = new BadPrivileges();
  bad.setName("low-port");
  bad.setServiceParent(application);
}
for (const name of ["first", "second", "third"]) {
  new Named(name).setServiceParent(application);
}
