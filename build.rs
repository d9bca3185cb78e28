//! The kiosk's link: relative relocations packed (`DT_RELR`, glibc ≥ 2.36,
//! Debian 12). A position-independent binary of bevy's size carries about
//! 10 MB of relocations that the loader reads at every start and that stay
//! in memory for the life of the process; packed, they take a few hundred
//! kilobytes (docs/PERFORMANCE.md). Only the link changes: nothing is
//! compiled again.
fn main() {
    println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    println!("cargo:rerun-if-changed=build.rs");
}
