//! Saves every attachment of every item of a PST into a directory, the way a script does with
//! `Attachment.SaveAsFile` (one directory per folder, as `readpst -S` makes, names made safe
//! and numbered when taken): the Outpost side of `scripts/bench/attachments-save`.
//!
//!     cargo run --release -p outpost-session --example save_attachments -- FILE.pst OUTDIR
//!
//! Prints one JSON line: items, attachments saved, bytes, seconds. The file is mounted as a
//! profile store would be (`session::backend::open_pst` + `Store::new`) without logging on, so
//! the time is the saving; a first-ever logon (creating the default profile and its mailbox)
//! costs about 0.14 s once, and `--logon` includes it.

use session::{AddStoreOptions, Application, Folder, OutpostPaths, Store, StoreConfig, StoreKind};
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Default)]
struct Totals {
    items: u64,
    attachments: u64,
    bytes: u64,
}

fn save_folder(
    folder: &Folder,
    out: &Path,
    totals: &mut Totals,
) -> Result<(), Box<dyn std::error::Error>> {
    let is_search =
        folder.get_prop(mapi::catalog::tags::PidTagFolderType)?.and_then(|v| v.as_i32())
            == Some(mapi::provider::FolderKind::Search.code());
    if !is_search {
        let mut files: Option<session::files::NewFiles> = None;
        for item in folder.items().iter()? {
            let item = item?;
            totals.items += 1;
            for attachment in item.attachments().list()? {
                if attachment.attachment_type()? == mapi::OlAttachmentType::EmbeddedItem {
                    continue;
                }
                let files = match &mut files {
                    Some(files) => files,
                    None => {
                        std::fs::create_dir_all(out)?;
                        files.insert(session::files::NewFiles::new(out))
                    }
                };
                let path = attachment.save_with(files)?;
                totals.attachments += 1;
                totals.bytes += std::fs::metadata(path)?.len();
            }
        }
    }
    for (i, sub) in folder.folders()?.iter().enumerate() {
        save_folder(sub, &out.join(i.to_string()), totals)?;
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let logon = args.first().is_some_and(|a| a.as_os_str() == "--logon");
    if logon {
        args.remove(0);
    }
    let [pst, out] = args.as_slice() else {
        return Err("usage: save_attachments [--logon] FILE.pst OUTDIR".into());
    };
    let started = Instant::now();
    let password = pst::PstFile::open(pst)?.message_store()?.equivalent_password();
    let home = tempfile::tempdir()?;
    let store = if logon {
        let app = Application::new(OutpostPaths::under(home.path()));
        let ns = app.session();
        ns.logon(None, None, false, false)?;
        ns.add_store_with(pst, &AddStoreOptions { display_name: None, password })?
    } else {
        let config = StoreConfig {
            key: "bench".into(),
            kind: StoreKind::Pst,
            display_name: "bench".into(),
            path: Some(pst.clone()),
            url: None,
            password: password.clone(),
        };
        Store::new(config.clone(), session::backend::open_pst(pst, password.as_deref())?)
    };
    let mut totals = Totals::default();
    save_folder(&store.mapi_root_folder()?, out, &mut totals)?;
    println!(
        "{{\"items\":{},\"attachments\":{},\"bytes\":{},\"seconds\":{:.4}}}",
        totals.items,
        totals.attachments,
        totals.bytes,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
