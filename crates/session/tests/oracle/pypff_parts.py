#!/usr/bin/env python3
"""Recipients and attachments of every message of a PST, as libpff (pypff) reads them.

Prints one JSON document: {"messages": [...]}, messages in libpff's walk order (folders depth
first in hierarchy-table order, messages in contents-table order), each
{"folder": "a/b", "index": i, "recipients": [{"name", "email", "type"}],
 "attachments": [{"method", "size", "sha256", "file_name"}]}.
Only by-value attachments (method 1) carry data hashes: libpff hands out the raw object of
other kinds. Used by crates/session/tests/parts_oracle.rs.
"""
import hashlib
import json
import struct
import sys

import pypff


def entries(record_sets):
    out = {}
    for record_set in record_sets:
        for entry in record_set.entries:
            out.setdefault(entry.entry_type, (entry.value_type, entry.data))
    return out


def text(value):
    if value is None:
        return None
    value_type, data = value
    if data is None:
        return None
    if value_type == 0x1F:
        return data.decode("utf-16-le").rstrip("\0")
    if value_type == 0x1E:
        return data.rstrip(b"\0").decode("cp1252", errors="replace")
    return None


def integer(value):
    if value is None or value[1] is None or len(value[1]) < 4:
        return None
    return struct.unpack("<i", value[1][:4])[0]


def message_parts(message):
    recipients = []
    table = getattr(message, "recipients", None)
    if table is not None:
        for record_set in table.record_sets:
            props = entries([record_set])
            recipients.append({
                "name": text(props.get(0x3001)),
                "email": text(props.get(0x3003)),
                "type": integer(props.get(0x0C15)),
            })
    attachments = []
    for i in range(getattr(message, "number_of_attachments", 0)):
        attachment = message.get_attachment(i)
        props = entries(attachment.record_sets)
        method = integer(props.get(0x3705))
        item = {
            "method": method,
            "size": attachment.size,
            "sha256": None,
            "file_name": text(props.get(0x3707)) or text(props.get(0x3704)),
        }
        if method in (None, 1):
            data = attachment.read_buffer(attachment.size) if attachment.size else b""
            item["sha256"] = hashlib.sha256(data or b"").hexdigest()
        attachments.append(item)
    return recipients, attachments


def walk(folder, path, out):
    for index in range(folder.number_of_sub_messages):
        try:
            message = folder.get_sub_message(index)
            recipients, attachments = message_parts(message)
            out.append({"folder": path, "index": index, "recipients": recipients,
                        "attachments": attachments})
        except (IOError, OSError) as err:
            out.append({"folder": path, "index": index, "error": str(err)})
    for sub in folder.sub_folders:
        name = sub.name or ""
        walk(sub, f"{path}/{name}" if path else name, out)


def main():
    pst = pypff.file()
    pst.open(sys.argv[1])
    out = []
    walk(pst.get_root_folder(), "", out)
    json.dump({"messages": out}, sys.stdout)


if __name__ == "__main__":
    main()
