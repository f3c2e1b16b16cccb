//! Verifying an archive of bundles: finding them under directories,
//! splitting the work into shards for several CI jobs, and verifying in
//! parallel with the results delivered in input order.
//!
//! Nothing found is skipped in silence: every file named on the command
//! line is verified, and under a directory every `*.zip` file is (a bundle
//! whose first bytes rotted must fail the run, not vanish from it), as is
//! any other file whose content is a ZIP archive naming `manifest.json`.
//! A bundle that cannot be read (permissions, removed during the run) gets
//! an **E001** finding, like any other container that cannot be read.

use std::fs::{self, File};
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use crate::format::codes::Code;
use crate::format::digest::Sha256Digest;
use crate::format::finding::Finding;
use crate::verify::{Report, VerifyOptions, verify_path};

/// Directories nest at most this deep under a given root; deeper entries
/// are reported rather than walked, so that a loop of bind mounts cannot
/// run forever.
pub const MAX_DEPTH: usize = 64;

/// One bundle to verify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Its path, as given or as found under a given directory.
    pub path: PathBuf,
    /// Its size when it was found, for progress reporting.
    pub size: u64,
}

/// What walking the inputs found.
#[derive(Debug, Default)]
pub struct Discovery {
    /// The bundles to verify, in input order; under a directory, in byte
    /// order of the names, depth first.
    pub bundles: Vec<Candidate>,
    /// Files under directories that are neither `*.zip` nor bundles by
    /// content, and were left alone.
    pub skipped: usize,
    /// Directories that could not be read, and why. Their bundles are
    /// unknown, so the run must not pass.
    pub unreadable_dirs: Vec<(PathBuf, String)>,
}

/// Finds the bundles named by `inputs`: files are taken as they are,
/// directories are walked recursively. Symbolic links to directories are
/// not followed (a link loop cannot make the walk endless); links to files
/// are verified. The same path named twice is verified once.
pub fn discover(inputs: &[PathBuf]) -> Discovery {
    let mut d = Discovery::default();
    let mut seen = std::collections::HashSet::new();
    for input in inputs {
        match fs::metadata(input) {
            Ok(m) if m.is_dir() => walk(input, 0, &mut d, &mut seen),
            Ok(m) => push(&mut d, &mut seen, input.clone(), m.len()),
            // A named file that cannot be examined is still verified, so
            // that the report says what is wrong with it.
            Err(_) => push(&mut d, &mut seen, input.clone(), 0),
        }
    }
    d
}

fn push(
    d: &mut Discovery,
    seen: &mut std::collections::HashSet<PathBuf>,
    path: PathBuf,
    size: u64,
) {
    if seen.insert(path.clone()) {
        d.bundles.push(Candidate { path, size });
    }
}

fn walk(
    dir: &Path,
    depth: usize,
    d: &mut Discovery,
    seen: &mut std::collections::HashSet<PathBuf>,
) {
    if depth > MAX_DEPTH {
        d.unreadable_dirs.push((
            dir.to_path_buf(),
            format!("nested more than {MAX_DEPTH} directories deep"),
        ));
        return;
    }
    let mut entries: Vec<(PathBuf, fs::FileType)> = match fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok())
            .filter_map(|e| e.file_type().ok().map(|t| (e.path(), t)))
            .collect(),
        Err(e) => {
            d.unreadable_dirs.push((dir.to_path_buf(), e.to_string()));
            return;
        }
    };
    entries.sort_by(|a, b| a.0.as_os_str().cmp(b.0.as_os_str()));
    for (path, kind) in entries {
        if kind.is_dir() {
            walk(&path, depth + 1, d, seen);
            continue;
        }
        let named_zip = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("zip"));
        // Links are resolved for files only. A `*.zip` that cannot be
        // examined (a dangling link, a file removed during the walk) is
        // verified, so that its loss is reported.
        let Ok(meta) = fs::metadata(&path) else {
            if named_zip || !kind.is_symlink() {
                push(d, seen, path, 0);
            } else {
                d.skipped += 1;
            }
            continue;
        };
        if !meta.is_file() {
            d.skipped += 1;
            continue;
        }
        if named_zip || looks_like_bundle(&path).unwrap_or(false) {
            push(d, seen, path, meta.len());
        } else {
            d.skipped += 1;
        }
    }
}

/// Whether a file's content is a ZIP archive whose central directory names
/// `manifest.json`: it starts with a local file header, and its last 64 KiB
/// hold a central directory header for that name.
pub fn looks_like_bundle(path: &Path) -> io::Result<bool> {
    let mut f = File::open(path)?;
    let mut head = [0u8; 4];
    if f.read(&mut head)? < 4 || head != *b"PK\x03\x04" {
        return Ok(false);
    }
    let len = f.metadata()?.len();
    let tail_len = len.min(64 << 10);
    f.seek(SeekFrom::Start(len - tail_len))?;
    let mut tail = Vec::with_capacity(tail_len as usize);
    f.take(tail_len).read_to_end(&mut tail)?;
    const NAME: &[u8] = b"manifest.json";
    // A central directory header is 46 bytes, then the name.
    Ok(tail.windows(46 + NAME.len()).any(|w| {
        w.starts_with(b"PK\x01\x02")
            && u16::from_le_bytes([w[28], w[29]]) as usize == NAME.len()
            && &w[46..] == NAME
    }))
}

/// A shard specification, `I/N`: this run verifies shard `index` (1-based)
/// of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// Which shard, from 1 to `count`.
    pub index: u32,
    /// How many shards the work is split into.
    pub count: u32,
}

impl std::str::FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let (i, n) = s
            .split_once('/')
            .ok_or_else(|| format!("{s:?}: a shard is I/N, e.g. 2/8"))?;
        let index: u32 = i.parse().map_err(|_| format!("{s:?}: I is not a number"))?;
        let count: u32 = n.parse().map_err(|_| format!("{s:?}: N is not a number"))?;
        if count == 0 || index == 0 || index > count {
            return Err(format!(
                "{s:?}: I must be between 1 and N, and N at least 1"
            ));
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    /// Whether `path` belongs to this shard. The split depends only on the
    /// path's bytes (the first eight bytes of its SHA-256, modulo N), not on
    /// the other paths: every job computes the same split from the same
    /// list, each bundle falls in exactly one shard, and adding a bundle to
    /// the archive moves no other.
    pub fn contains(&self, path: &Path) -> bool {
        let digest = Sha256Digest::of(path.as_os_str().as_encoded_bytes());
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest.0[..8]);
        (u64::from_be_bytes(first) % u64::from(self.count)) as u32 == self.index - 1
    }
}

/// The outcome of verifying one file.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The verification report.
    pub report: Report,
    /// True when the file could not be read at all (its report then holds
    /// one E001 finding saying why).
    pub unreadable: bool,
    /// Wall-clock time spent on it.
    pub seconds: f64,
}

/// Verifies one file; an I/O failure of the file itself (it cannot be
/// opened, or vanished) becomes an **E001** finding instead of an error.
pub fn verify_file(path: &Path, opts: &VerifyOptions) -> Checked {
    let start = std::time::Instant::now();
    checked(
        verify_path(path, opts).map_err(|e| crate::display::io_words(&e)),
        "file",
        start,
    )
}

/// The outcome of a verification that began at `start`: a bundle that
/// could not be read at all (`Err`, saying why) is one **E001** finding
/// that names `what` it was (a file, an object). Its message begins "the
/// file could not be read: " (or "the object …"), which
/// [`Report::invalidity`](crate::verify::Report::invalidity) reads to say
/// "CANNOT BE READ" rather than "not a bundle".
pub fn checked(result: Result<Report, String>, what: &str, start: std::time::Instant) -> Checked {
    let (report, unreadable) = match result {
        Ok(r) => (r, false),
        Err(e) => (
            Report::unreadable(Finding::new(
                Code::ContainerUnreadable,
                "bundle",
                format!("the {what} could not be read: {e}"),
            )),
            true,
        ),
    };
    Checked {
        report,
        unreadable,
        seconds: start.elapsed().as_secs_f64(),
    }
}

/// Verifies `bundles` on `jobs` threads (at least one) and hands each
/// outcome to `sink` in input order (see [`for_each_in_order`]).
pub fn verify_all<F>(bundles: &[Candidate], opts: &VerifyOptions, jobs: usize, mut sink: F)
where
    F: FnMut(usize, &Candidate, Checked),
{
    for_each_in_order(
        bundles,
        jobs,
        |c| verify_file(&c.path, opts),
        |i, checked| sink(i, &bundles[i], checked),
    );
}

/// Lets at most `n` threads at a time through [`Gate::run`]. A run over
/// objects in a bucket uses many threads so that many requests are in
/// flight, and this keeps the verifying itself, which is CPU work, to the
/// `-j` the user asked for.
#[derive(Debug)]
pub struct Gate {
    free: std::sync::Mutex<usize>,
    freed: std::sync::Condvar,
}

impl Gate {
    /// A gate for `n` threads at a time (at least one).
    pub fn new(n: usize) -> Gate {
        Gate {
            free: std::sync::Mutex::new(n.max(1)),
            freed: std::sync::Condvar::new(),
        }
    }

    /// Runs `f` once fewer than `n` other threads are inside.
    pub fn run<R>(&self, f: impl FnOnce() -> R) -> R {
        {
            let mut free = self.free.lock().unwrap_or_else(|p| p.into_inner());
            while *free == 0 {
                free = self.freed.wait(free).unwrap_or_else(|p| p.into_inner());
            }
            *free -= 1;
        }
        // Released on the way out even if `f` panics.
        struct Release<'a>(&'a Gate);
        impl Drop for Release<'_> {
            fn drop(&mut self) {
                *self.0.free.lock().unwrap_or_else(|p| p.into_inner()) += 1;
                self.0.freed.notify_one();
            }
        }
        let _release = Release(self);
        f()
    }
}

/// Runs `work` on every item on `jobs` threads (at least one) and hands
/// each result to `sink` on the calling thread, in item order, as soon as
/// it and every earlier one are done. Items are handed out in order too,
/// so a result waits only on slower items before it, and what is held
/// back meanwhile is results, never the items' bytes.
pub fn for_each_in_order<T, R, W, S>(items: &[T], jobs: usize, work: W, mut sink: S)
where
    T: Sync,
    R: Send,
    W: Fn(&T) -> R + Sync,
    S: FnMut(usize, R),
{
    if jobs <= 1 {
        // One thread: no hand-offs between threads at all.
        for (i, item) in items.iter().enumerate() {
            sink(i, work(item));
        }
        return;
    }
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel::<(usize, R)>();
    std::thread::scope(|scope| {
        for _ in 0..jobs.max(1).min(items.len().max(1)) {
            let tx = tx.clone();
            let (next, work) = (&next, &work);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    if tx.send((i, work(item))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut held = std::collections::BTreeMap::new();
        let mut due = 0;
        for (i, result) in rx {
            held.insert(i, result);
            while let Some(result) = held.remove(&due) {
                sink(due, result);
                due += 1;
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gate_lets_through_at_most_its_number() {
        let gate = Gate::new(2);
        let inside = AtomicUsize::new(0);
        let most = AtomicUsize::new(0);
        let items: Vec<u32> = (0..64).collect();
        for_each_in_order(
            &items,
            8,
            |_| {
                gate.run(|| {
                    let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(std::time::Duration::from_millis(2));
                    inside.fetch_sub(1, Ordering::SeqCst);
                })
            },
            |_, _| {},
        );
        let most = most.into_inner();
        assert!((1..=2).contains(&most), "{most} inside at once");
    }

    #[test]
    fn results_come_in_item_order_whatever_the_threads() {
        let items: Vec<u64> = (0..200).collect();
        for jobs in [1, 2, 7] {
            let mut got = Vec::new();
            for_each_in_order(
                &items,
                jobs,
                |x| {
                    // Later items finish first.
                    std::thread::sleep(std::time::Duration::from_micros(200 - x));
                    x * 2
                },
                |i, r| got.push((i, r)),
            );
            let want: Vec<(usize, u64)> = items.iter().map(|x| (*x as usize, x * 2)).collect();
            assert_eq!(got, want, "{jobs} threads");
        }
    }

    #[test]
    fn shards_parse_and_partition() {
        assert_eq!("2/8".parse::<Shard>(), Ok(Shard { index: 2, count: 8 }));
        for bad in ["0/3", "4/3", "1/0", "x/2", "3"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
        let paths: Vec<PathBuf> = (0..500)
            .map(|i| PathBuf::from(format!("a/b{i}.zip")))
            .collect();
        let n = 7;
        for p in &paths {
            let owners = (1..=n)
                .filter(|i| {
                    Shard {
                        index: *i,
                        count: n,
                    }
                    .contains(p)
                })
                .count();
            assert_eq!(owners, 1, "{}", p.display());
        }
    }
}
