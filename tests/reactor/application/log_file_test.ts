// Copyright 2026 the Torsion authors. MIT license.
// LogFile, DailyLogFile and LogReader: Twisted's twisted/test/test_logfile.py,
// on the real file system (a temporary directory) and, where the test needs
// what root cannot see (a directory or file that may not be written) or a
// file whose mode cannot change, on a file system in memory.
import { deepEqual, equal, ok, throws } from "node:assert/strict";
import {
  DailyLogFile,
  type DateTuple,
  LogFile,
  LogReader,
} from "../../../reactor/application/mod.ts";
import { MemoryFileSystem } from "./_memory_file_system.ts";

/** A temporary directory with `test.log` in it, removed by `using`. */
function tempDir(): { dir: string; path: string } & Disposable {
  const dir = Deno.makeTempDirSync({ prefix: "torsion_logfile_" });
  return {
    dir,
    path: `${dir}/test.log`,
    [Symbol.dispose]() {
      Deno.removeSync(dir, { recursive: true });
    },
  };
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

function mode(path: string): number {
  return Deno.statSync(path).mode! & 0o7777;
}

Deno.test("LogFile: writes are in the file, before and after a flush and a close", () => {
  using t = tempDir();
  const log = new LogFile("test.log", t.dir);
  log.write("123");
  log.write("456");
  log.flush();
  log.write("7890");
  log.close();
  equal(Deno.readTextFileSync(t.path), "1234567890");
  equal(log.closed, true);
});

Deno.test("LogFile: rotates by itself once rotateLength is reached, and on demand", () => {
  using t = tempDir();
  const log = new LogFile("test.log", t.dir, { rotateLength: 10 });
  log.write("123");
  log.write("4567890");
  log.write("1".repeat(11));
  ok(exists(`${t.path}.1`));
  ok(!exists(`${t.path}.2`));
  log.write("");
  ok(exists(`${t.path}.1`));
  ok(exists(`${t.path}.2`));
  ok(!exists(`${t.path}.3`));
  log.write("3");
  ok(!exists(`${t.path}.3`));
  log.rotate();
  ok(exists(`${t.path}.3`));
  ok(!exists(`${t.path}.4`));
  log.close();
  deepEqual(log.listLogs(), [1, 2, 3]);
  equal(Deno.readTextFileSync(`${t.path}.3`), "1234567890");
  equal(Deno.readTextFileSync(`${t.path}.2`), "1".repeat(11));
  equal(Deno.readTextFileSync(`${t.path}.1`), "3");
  equal(Deno.readTextFileSync(t.path), "");
});

Deno.test("LogFile: a reopened file is appended to, its size counted in bytes", () => {
  using t = tempDir();
  const first = new LogFile("test.log", t.dir);
  first.write("0123456789");
  first.close();
  const log = new LogFile("test.log", t.dir);
  equal(log.size, 10);
  log.write("abc");
  log.write("é"); // two bytes in UTF-8
  equal(log.size, 15);
  log.close();
  equal(Deno.readTextFileSync(t.path), "0123456789abcé");
});

Deno.test("LogFile: rotateLength null or 0 never rotates; a bad one is refused", () => {
  for (const rotateLength of [null, 0]) {
    const fs = new MemoryFileSystem("/logs");
    const log = new LogFile("a.log", "/logs", { rotateLength, fileSystem: fs });
    for (let i = 0; i < 5; i++) log.write("x".repeat(1_000_000));
    equal(log.shouldRotate(), false);
    deepEqual(log.listLogs(), []);
    log.close();
  }
  const fs = new MemoryFileSystem("/logs");
  throws(
    () => new LogFile("a.log", "/logs", { rotateLength: -1, fileSystem: fs }),
    RangeError,
  );
  throws(
    () =>
      new LogFile("a.log", "/logs", { maxRotatedFiles: 1.5, fileSystem: fs }),
    RangeError,
  );
  equal(fs.open, 0);
});

Deno.test("LogFile: the default rotateLength is 1,000,000 bytes", () => {
  const fs = new MemoryFileSystem("/logs");
  const log = new LogFile("a.log", "/logs", { fileSystem: fs });
  equal(log.rotateLength, 1_000_000);
  equal(log.maxRotatedFiles, null);
  log.write("x".repeat(999_999));
  log.write("y");
  deepEqual(log.listLogs(), []);
  log.write("z");
  deepEqual(log.listLogs(), [1]);
  equal(fs.text("/logs/a.log"), "z");
  log.close();
});

Deno.test("LogReader: reads the current and the rotated logs; numbers grow with age", () => {
  using t = tempDir();
  const log = new LogFile("test.log", t.dir);
  log.write("abc\n");
  log.write("def\n");
  log.rotate();
  log.write("ghi\n");
  log.flush();
  deepEqual(log.listLogs(), [1]);
  let reader = log.getCurrentLog();
  deepEqual(reader.readLines(), ["ghi\n"]);
  deepEqual(reader.readLines(), []);
  reader.close();
  reader = log.getLog(1);
  deepEqual(reader.readLines(), ["abc\n", "def\n"]);
  deepEqual(reader.readLines(), []);
  reader.close();
  throws(() => log.getLog(2), RangeError);
  throws(() => log.getLog(0.5), RangeError);
  log.rotate();
  deepEqual(log.listLogs(), [1, 2]);
  reader = log.getLog(1);
  deepEqual(reader.readLines(), ["ghi\n"]);
  reader.close();
  reader = log.getLog(2);
  deepEqual(reader.readLines(), ["abc\n", "def\n"]);
  reader.close();
  log.close();
});

Deno.test("LogReader: reads no line when asked for none, a last line without its newline, and UTF-8 split across reads", () => {
  const fs = new MemoryFileSystem("/logs");
  const long = "é".repeat(20_000); // 40,000 bytes: more than one read
  fs.put("/logs/a.log", `${long}\nlast`);
  const reader = new LogReader("/logs/a.log", { fileSystem: fs });
  deepEqual(reader.readLines(0), []);
  deepEqual(reader.readLines(5), [`${long}\n`, "last"]);
  deepEqual(reader.readLines(), []);
  reader.close();
  equal(fs.open, 0);
});

Deno.test("LogFile: rotated and new files keep the mode of the original file", () => {
  using t = tempDir();
  Deno.writeTextFileSync(t.path, "");
  Deno.chmodSync(t.path, 0o707);
  const log = new LogFile("test.log", t.dir);
  equal(log.defaultMode, 0o707);
  log.write("abc");
  log.rotate();
  equal(mode(t.path), 0o707);
  equal(mode(`${t.path}.1`), 0o707);
  log.close();
});

Deno.test("LogFile: an existing file keeps its permissions when opened", () => {
  using t = tempDir();
  Deno.writeTextFileSync(t.path, "");
  Deno.chmodSync(t.path, 0o707);
  const log = new LogFile("test.log", t.dir);
  equal(mode(t.path), 0o707);
  log.close();
});

Deno.test("LogFile: defaultMode sets the permissions of the file", () => {
  using t = tempDir();
  const log = new LogFile("test.log", t.dir, { defaultMode: 0o066 });
  equal(mode(t.path), 0o066);
  log.close();
});

Deno.test("LogFile: a file whose mode cannot change is opened all the same", () => {
  const fs = new MemoryFileSystem("/dev");
  fs.put("/dev/null", "");
  fs.chmod = () => {
    throw new Deno.errors.PermissionDenied("not permitted");
  };
  const log = new LogFile("null", "/dev", {
    defaultMode: 0o555,
    fileSystem: fs,
  });
  equal(log.path, "/dev/null");
  equal(log.defaultMode, 0o555);
  log.close();
});

Deno.test("LogFile: without write permission on the directory, rotate does nothing and writing goes on", () => {
  const fs = new MemoryFileSystem("/logs");
  const log = new LogFile("a.log", "/logs", { fileSystem: fs });
  log.write("abc");
  fs.directories.get("/logs")!.writable = false;
  log.rotate();
  log.write("def");
  equal(fs.text("/logs/a.log"), "abcdef");
  deepEqual(log.listLogs(), []);
  log.close();
});

Deno.test("LogFile: without write permission on the file, rotate does nothing", () => {
  const fs = new MemoryFileSystem("/logs");
  const log = new LogFile("a.log", "/logs", { fileSystem: fs });
  log.write("abc");
  fs.chmod("/logs/a.log", 0o444);
  log.rotate();
  deepEqual(log.listLogs(), []);
  log.close();
});

Deno.test("LogFile: maxRotatedFiles removes the oldest files", () => {
  using t = tempDir();
  const log = new LogFile("test.log", t.dir, {
    rotateLength: 10,
    maxRotatedFiles: 3,
  });
  log.write("1".repeat(11));
  log.write("2".repeat(11));
  ok(exists(`${t.path}.1`));
  log.write("3".repeat(11));
  ok(exists(`${t.path}.2`));
  log.write("4".repeat(11));
  ok(exists(`${t.path}.3`));
  equal(Deno.readTextFileSync(`${t.path}.3`), "1".repeat(11));
  log.write("5".repeat(11));
  equal(Deno.readTextFileSync(`${t.path}.3`), "2".repeat(11));
  ok(!exists(`${t.path}.4`));
  log.close();
});

Deno.test("LogFile.fromFullPath: the same file as name and directory, taken from the current directory", () => {
  using t = tempDir();
  const log1 = new LogFile("test.log", t.dir, {
    rotateLength: 10,
    defaultMode: 0o777,
  });
  const log2 = LogFile.fromFullPath(t.path, {
    rotateLength: 10,
    defaultMode: 0o777,
  });
  equal(log1.name, log2.name);
  equal(log1.path, log2.path);
  equal(log1.rotateLength, log2.rotateLength);
  equal(log1.defaultMode, log2.defaultMode);
  log1.close();
  log2.close();
  const fs = new MemoryFileSystem("/work/logs");
  const log3 = LogFile.fromFullPath("logs/../logs/./b.log", { fileSystem: fs });
  equal(log3.directory, "/work/logs");
  equal(log3.path, "/work/logs/b.log");
  log3.close();
});

Deno.test("LogFile.reopen: after an outside tool renamed the file, writes go to a new one", () => {
  using t = tempDir();
  const log = new LogFile("test.log", t.dir);
  log.write("hello1");
  equal(log.isMoved(), false);
  const savePath = `${t.dir}/save.log`;
  Deno.renameSync(t.path, savePath);
  equal(log.isMoved(), true);
  log.reopen();
  equal(log.isMoved(), false);
  log.write("hello2");
  log.close();
  equal(Deno.readTextFileSync(t.path), "hello2");
  equal(Deno.readTextFileSync(savePath), "hello1");
});

Deno.test("LogFile: isMoved when the file was removed", () => {
  const fs = new MemoryFileSystem("/logs");
  const log = new LogFile("a.log", "/logs", { fileSystem: fs });
  fs.remove("/logs/a.log");
  equal(log.isMoved(), true);
  log.close();
});

Deno.test("LogFile: a missing directory is an error", () => {
  throws(
    () => new LogFile("test.log", "this_dir_does_not_exist"),
    Deno.errors.NotFound,
  );
});

Deno.test("LogFile: writing to a closed file is an error", () => {
  const fs = new MemoryFileSystem("/logs");
  const log = new LogFile("a.log", "/logs", { fileSystem: fs });
  log.close();
  throws(() => log.write("x"), /it is closed/);
  log.reopen();
  log.write("x");
  log.close();
  equal(fs.text("/logs/a.log"), "x");
});

Deno.test("LogFile.listLogs: ignores files with other suffixes and suffix 0", () => {
  using t = tempDir();
  const log = new LogFile("test.log", t.dir);
  for (const suffix of ["0", "1", "2", "bad-file", "1.gz", "x.3", "+4"]) {
    Deno.writeTextFileSync(`${t.path}.${suffix}`, "123");
  }
  Deno.writeTextFileSync(`${t.dir}/other.log.5`, "123");
  deepEqual(log.listLogs(), [1, 2]);
  log.close();
});

/** Twisted's RiggedDailyLogFile: dates in UTC from `_clock`, not local time. */
class RiggedDailyLogFile extends DailyLogFile {
  declare _clock: number;

  protected override _openFile(): void {
    super._openFile();
    // Rig the date to match _clock, not the file's modification time.
    this.lastDate = this.toDate();
  }

  override toDate(seconds?: number): DateTuple {
    const d = new Date((seconds ?? this._clock ?? 0) * 1000);
    return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
  }
}

Deno.test("DailyLogFile: can be written to like an ordinary log file", () => {
  using t = tempDir();
  const log = new RiggedDailyLogFile("test.log", t.dir);
  log.write("123");
  log.write("456");
  log.flush();
  log.write("7890");
  log.close();
  equal(Deno.readTextFileSync(t.path), "1234567890");
});

Deno.test("DailyLogFile: rotates daily", () => {
  using t = tempDir();
  const log = new RiggedDailyLogFile("test.log", t.dir);
  const days = [0, 1, 2].map((day) => `${t.path}.${log.suffix(day * 86400)}`);
  deepEqual(days.map((d) => d.slice(t.path.length)), [
    ".1970_1_1",
    ".1970_1_2",
    ".1970_1_3",
  ]);
  log._clock = 0;
  log.write("123");
  log._clock = 43200;
  log.write("4567890");
  log._clock = 86400;
  log.write("1".repeat(11));
  ok(exists(days[0]));
  ok(!exists(days[1]));
  log._clock = 172800;
  log.write("");
  ok(exists(days[0]));
  ok(exists(days[1]));
  ok(!exists(days[2]));
  log._clock = 259199;
  log.write("3");
  ok(!exists(days[2]));
  log.close();
  equal(Deno.readTextFileSync(days[0]), "1234567890");
  equal(Deno.readTextFileSync(days[1]), "1".repeat(11));
  equal(Deno.readTextFileSync(t.path), "3");
});

Deno.test("DailyLogFile.getLog: the current file for the last write's day, a rotated one for another", () => {
  using t = tempDir();
  const data = ["1\n", "2\n", "3\n"];
  const log = new RiggedDailyLogFile("test.log", t.dir);
  for (const d of data) log.write(d);
  log.flush();
  let reader = log.getLog(0);
  deepEqual(reader.readLines(), data);
  reader.close();
  throws(() => log.getLog(86400), RangeError);
  log._clock = 86401;
  log.rotate();
  reader = log.getLog(0);
  deepEqual(reader.readLines(), data);
  reader.close();
  log.close();
});

Deno.test("DailyLogFile.rotate: does nothing if the new name is taken", () => {
  using t = tempDir();
  const log = new RiggedDailyLogFile("test.log", t.dir);
  log.write("current");
  const newPath = `${log.path}.${log.suffix(log.lastDate)}`;
  Deno.writeTextFileSync(newPath, "123");
  log.rotate();
  equal(log.isMoved(), false);
  log.write("!");
  log.close();
  equal(Deno.readTextFileSync(newPath), "123");
  equal(Deno.readTextFileSync(t.path), "current!");
});

Deno.test("DailyLogFile.rotate: does nothing if the directory or the file may not be written", () => {
  for (const deny of ["directory", "file"] as const) {
    const fs = new MemoryFileSystem("/logs");
    const log = new RiggedDailyLogFile("a.log", "/logs", { fileSystem: fs });
    log.write("x");
    if (deny === "directory") fs.directories.get("/logs")!.writable = false;
    else fs.chmod("/logs/a.log", 0o444);
    log._clock = 86400 * 3;
    log.rotate();
    deepEqual([...fs.files.keys()], ["/logs/a.log"], deny);
    log.close();
  }
});

Deno.test("DailyLogFile: the date starts as the file's modification date, and never goes back", () => {
  const fs = new MemoryFileSystem("/logs");
  fs.now = 86400 * 10 + 5; // 1970-01-11
  fs.put("/logs/a.log", "old\n");
  class UtcDaily extends DailyLogFile {
    declare clock: number;
    override toDate(seconds?: number): DateTuple {
      const d = new Date((seconds ?? this.clock) * 1000);
      return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
    }
  }
  const log = new UtcDaily("a.log", "/logs", { fileSystem: fs });
  deepEqual(log.lastDate, [1970, 1, 11]);
  log.clock = 86400 * 9; // the clock went back a day
  equal(log.shouldRotate(), false);
  log.write("new\n");
  deepEqual(log.lastDate, [1970, 1, 11]);
  log.clock = 86400 * 12;
  equal(log.shouldRotate(), true);
  log.write("later\n");
  deepEqual(log.lastDate, [1970, 1, 13]);
  equal(fs.text("/logs/a.log.1970_1_11"), "old\nnew\n");
  equal(fs.text("/logs/a.log"), "later\n");
  log.close();
});

Deno.test("DailyLogFile.toDate: a time's local date, or today's", () => {
  using t = tempDir();
  const log = new DailyLogFile("test.log", t.dir);
  const timestamp = new Date(2000, 0, 1, 0, 0, 0).getTime() / 1000;
  deepEqual(log.toDate(timestamp), [2000, 1, 1]);
  const seconds = new Date(2014, 9, 22).getTime() / 1000;
  deepEqual(log.toDate(seconds), [2014, 10, 22]);
  const before = new Date();
  const today = log.toDate();
  const after = new Date();
  ok(
    [before, after].some((d) =>
      d.getFullYear() === today[0] && d.getMonth() + 1 === today[1] &&
      d.getDate() === today[2]
    ),
  );
  equal(log.suffix([2026, 1, 5]), "2026_1_5");
  log.close();
});
