//! The kiosk's link (docs/PERFORMANCE.md). Only the link changes: nothing
//! is compiled again.
//! - Relative relocations packed (`DT_RELR`, glibc ≥ 2.36, Debian 12). A
//!   position-independent binary of bevy's size carries about 10 MB of
//!   relocations that the loader reads at every start and that stay in
//!   memory for the life of the process; packed, they take a few hundred
//!   kilobytes.
//! - Identical functions folded into one (`--icf=all`): generic code
//!   instantiated for many types often compiles to the same machine code,
//!   and 3.2 MB of the 47.7 MB of code were copies (2 MB less resident at
//!   Home). Rust promises no distinct addresses to distinct functions, and
//!   only code is folded, never data (statics keep their own addresses).
//!   It needs LLVM's linker, which rustc uses on x86-64 Linux (since
//!   1.90): elsewhere the flag is left out rather than failing the link.
fn main() {
    println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    if std::env::var("TARGET").as_deref() == Ok("x86_64-unknown-linux-gnu") {
        println!("cargo:rustc-link-arg-bins=-Wl,--icf=all");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
