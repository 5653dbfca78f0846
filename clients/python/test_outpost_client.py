"""Runs the standard-library client against a real instance (started by the client itself).

Usage: OUTPOST_BIN=target/debug/outpost python3 clients/python/test_outpost_client.py
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from outpost_client import Client, OutpostError  # noqa: E402

OUTPOST = os.environ.get("OUTPOST_BIN", "outpost")


class InstanceClientTest(unittest.TestCase):
    def setUp(self):
        self.home = tempfile.TemporaryDirectory()
        os.environ["OUTPOST_HOME"] = self.home.name

    def tearDown(self):
        subprocess.run([OUTPOST, "instance", "stop"], capture_output=True, check=False)
        self.home.cleanup()

    def test_get_or_start_then_status_and_errors(self):
        with Client.get_or_start(outpost=OUTPOST) as client:
            self.assertEqual(client.welcome["protocol_version"], 1)
            status = client.call("status")
            self.assertEqual(status["pid"], client.welcome["pid"])
            self.assertEqual(client.call("ping"), {})
            with self.assertRaises(OutpostError) as caught:
                client.call("no_such_method")
            self.assertEqual(caught.exception.name, "MAPI_E_NO_SUPPORT")
        # A second client finds the same instance.
        with Client.connect() as again:
            self.assertEqual(again.welcome["pid"], status["pid"])

    def session(self, client, *argv):
        reply = client.call("session", {"argv": list(argv) + ["--json"], "cwd": os.getcwd()})
        self.assertIsNone(reply["error"], reply["error"])
        return json.loads(reply["output"])

    def test_logon_default_folders_and_an_item_by_entry_id(self):
        with Client.get_or_start(outpost=OUTPOST) as client:
            logon = self.session(client, "logon")
            self.assertEqual(logon["profile"], "Outlook")
            kinds = {folder["kind"] for folder in logon["default_folders"] if folder.get("entry_id")}
            self.assertTrue({"inbox", "calendar", "contacts", "deleted-items"} <= kinds, kinds)
            created = self.session(client, "item", "create", "inbox", "--subject", "from python")
            item = self.session(client, "item", "get", created["entry_id"])
            self.assertEqual(item["subject"], "from python")
            reply = client.call("session", {"argv": ["item", "get", "00"], "cwd": os.getcwd()})
            self.assertEqual(reply["error"]["code"], "MAPI_E_INVALID_ENTRYID")

    def test_a_subscription_reports_an_item_created_by_another_client(self):
        with Client.get_or_start(outpost=OUTPOST) as watcher, Client.connect() as writer:
            subscription = watcher.subscribe(folder="inbox")
            created = self.session(writer, "item", "create", "inbox", "--subject", "watched")
            first = watcher.next_notification(timeout=10)
            second = watcher.next_notification(timeout=10)
            self.assertEqual([first["event"], second["event"]], ["item_add", "new_mail"])
            self.assertEqual(first["subscription"], subscription)
            self.assertEqual(first["data"]["entry_ids"], [created["entry_id"]])
            self.assertEqual(watcher.call("unsubscribe", {"subscription": subscription}),
                             {"unsubscribed": True})


if __name__ == "__main__":
    unittest.main()
