//! provseal's integration tests, as one test binary: compiling the shared
//! support code once instead of once per file is what makes `cargo test`
//! build in reasonable time on 2 cores. Each module is one former test
//! file; run one with `cargo test --test it MODULE::`.

mod support;

mod archive;
mod capture;
mod catalog;
mod cite_golden;
mod cite_tools;
mod cli;
mod cli_cite;
mod custody;
mod first_contact;
mod golden;
mod interop;
mod keys;
mod mutation;
mod pack_batch;
mod roundtrip;
mod run_report;
mod s3;
mod spec_table;
mod tamper;
mod terminal;
mod trust;
mod vectors;
mod writes;
