//! `provseal pack --batch JOBS.jsonl`: every job reported in order, bad
//! jobs never stop the others, outputs identical whatever `-j`.

use std::fs;

use crate::support::cli::*;
use crate::support::repo_path;

#[test]
fn every_job_is_reported_and_a_bad_one_stops_nothing() {
    let (dir, key) = setup();
    let d = dir.path();
    let txt = repo_path("examples/article.txt");
    let html = repo_path("examples/article.html");
    let jobs = [
        format!(
            r#"{{"input": {:?}, "out": "out/a.zip", "repost_urls": ["https://portal.example.net/1"], "captured_at": "2024-03-15T08:30:00Z"}}"#,
            txt
        ),
        format!(
            r#"{{"input": {:?}, "out": "out/b.zip", "authors": ["Ann Lee"], "captured_at": "2024-03-15T08:30:00Z"}}"#,
            html
        ),
        "not json".to_string(),
        r#"{"input": "/nonexistent/x.txt", "out": "out/c.zip"}"#.to_string(),
        format!(
            r#"{{"input": {:?}, "out": "out/d.zip", "published": "someday"}}"#,
            txt
        ),
        format!(
            r#"{{"input": {:?}, "out": "out/e.zip", "colour": "red"}}"#,
            txt
        ),
        String::new(),
        format!(r#"{{"input": {:?}, "out": "out/a.zip"}}"#, txt),
        format!(
            r#"{{"input": {:?}, "out": "out/f.zip", "title": "Sixth", "captured_at": "2024-03-15T08:30:00Z"}}"#,
            txt
        ),
    ];
    fs::write(d.join("jobs.jsonl"), jobs.join("\n")).unwrap();
    fs::create_dir(d.join("out")).unwrap();
    let run = |j: &str| {
        provseal()
            .current_dir(d)
            .args(["pack", "--batch", "jobs.jsonl", "--force", "-j", j, "--key"])
            .arg(key.with_extension("key"))
            .output()
            .unwrap()
    };
    let one = run("1");
    assert_eq!(one.status.code(), Some(1), "{}", stderr(&one));
    let report = stdout(&one);
    let lines: Vec<Vec<&str>> = report.lines().map(|l| l.split('\t').collect()).collect();
    let status: Vec<(&str, &str)> = lines.iter().map(|l| (l[0], l[1])).collect();
    assert_eq!(
        status,
        [
            ("ok", "1"),
            ("ok", "2"),
            ("FAILED", "3"),
            ("FAILED", "4"),
            ("FAILED", "5"),
            ("FAILED", "6"),
            ("FAILED", "8"),
            ("ok", "9"),
        ]
    );
    assert!(lines[3][2].contains("/nonexistent/x.txt"), "{report}");
    assert!(lines[4][2].contains("--published"), "{report}");
    assert!(lines[5][2].contains("unknown field \"colour\""), "{report}");
    assert!(
        lines[6][2].contains("also the output of line 1"),
        "{report}"
    );
    assert!(stderr(&one).contains("8 jobs: 3 packed, 5 failed"));
    let verified = provseal()
        .current_dir(d)
        .args(["verify", "out", "--trust"])
        .arg(key.with_extension("pub"))
        .output()
        .unwrap();
    assert_eq!(verified.status.code(), Some(0), "{}", stdout(&verified));
    assert!(
        stdout(&verified).contains("3 of 3 bundles passed, 0 failed: 3 signed by a trusted key")
    );

    // The same jobs on two threads give the same bundles.
    let first = fs::read(d.join("out/a.zip")).unwrap();
    let two = run("2");
    assert_eq!(stdout(&two), report);
    assert_eq!(fs::read(d.join("out/a.zip")).unwrap(), first);

    // Without --force, existing outputs are refused, job by job.
    let refused = provseal()
        .current_dir(d)
        .args(["pack", "--batch", "jobs.jsonl", "--key"])
        .arg(key.with_extension("key"))
        .output()
        .unwrap();
    assert!(stdout(&refused).starts_with("FAILED\t1\tout/a.zip: already exists"));
}
