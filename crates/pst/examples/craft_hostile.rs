//! Writes the crafted hostile files of tests/common/craft.rs (one per class of structure the
//! reader must bound) into a directory: seeds for the open_walk/provider_walk fuzz targets and
//! inputs for scripts/hostile/run-all.sh. `craft_hostile CORPUS_UNICODE_PST OUT_DIR`.

#[path = "../tests/common/builder.rs"]
mod builder;
#[path = "../tests/common/craft.rs"]
mod craft;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(corpus), Some(out)) = (args.next(), args.next()) else {
        eprintln!("usage: craft_hostile CORPUS_UNICODE_PST OUT_DIR");
        std::process::exit(2);
    };
    let out = std::path::PathBuf::from(out);
    std::fs::create_dir_all(&out).expect("the output directory can be created");
    for (name, bytes) in craft::cases(std::path::Path::new(&corpus)) {
        std::fs::write(out.join(name), bytes).expect("the crafted file can be written");
        println!("{}", out.join(name).display());
    }
}
