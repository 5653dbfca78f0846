//! Which MAPI property each filter name means.
//!
//! Jet names are the Outlook object model's property names (`[ReceivedTime]`); DASL names are
//! schema URNs (`urn:schemas:httpmail:datereceived`) or MAPI property paths. Both resolve to a
//! catalog name, so the catalog is the one place tags and types come from.

/// Outlook object-model property → catalog property. Lower-case keys; lookups fold case.
pub const JET_FIELDS: &[(&str, &str)] = &[
    ("subject", "PidTagSubject"),
    ("body", "PidTagBody"),
    ("sendername", "PidTagSenderName"),
    ("senderemailaddress", "PidTagSenderEmailAddress"),
    ("sentonbehalfofname", "PidTagSentRepresentingName"),
    ("to", "PidTagDisplayTo"),
    ("cc", "PidTagDisplayCc"),
    ("bcc", "PidTagDisplayBcc"),
    ("receivedtime", "PidTagMessageDeliveryTime"),
    ("senton", "PidTagClientSubmitTime"),
    ("creationtime", "PidTagCreationTime"),
    ("lastmodificationtime", "PidTagLastModificationTime"),
    ("importance", "PidTagImportance"),
    ("sensitivity", "PidTagSensitivity"),
    ("size", "PidTagMessageSize"),
    ("messageclass", "PidTagMessageClass"),
    ("categories", "PidNameKeywords"),
    ("flagstatus", "PidTagFlagStatus"),
    ("conversationtopic", "PidTagConversationTopic"),
    ("start", "PidLidAppointmentStartWhole"),
    ("end", "PidLidAppointmentEndWhole"),
    ("location", "PidLidLocation"),
    ("alldayevent", "PidLidAppointmentSubType"),
    ("isrecurring", "PidLidRecurring"),
    ("busystatus", "PidLidBusyStatus"),
    ("duedate", "PidLidTaskDueDate"),
    ("startdate", "PidLidTaskStartDate"),
    ("complete", "PidLidTaskComplete"),
    ("status", "PidLidTaskStatus"),
    ("percentcomplete", "PidLidPercentComplete"),
    ("fullname", "PidTagDisplayName"),
    ("firstname", "PidTagGivenName"),
    ("lastname", "PidTagSurname"),
    ("companyname", "PidTagCompanyName"),
    ("jobtitle", "PidTagTitle"),
    ("email1address", "PidLidEmail1EmailAddress"),
    ("businesstelephonenumber", "PidTagBusinessTelephoneNumber"),
    ("hometelephonenumber", "PidTagHomeTelephoneNumber"),
    ("mobiletelephonenumber", "PidTagMobileTelephoneNumber"),
];

/// `[Unread]` is not a property of its own: it is the inverse of MSGFLAG_READ in
/// PidTagMessageFlags (MS-OXCMSG 2.2.1.6).
pub const JET_UNREAD: &str = "unread";
pub const MSGFLAG_READ: u32 = 0x0000_0001;

/// DASL schema names → catalog property. Lower-case keys; lookups fold case.
pub const DASL_FIELDS: &[(&str, &str)] = &[
    ("urn:schemas:httpmail:subject", "PidTagSubject"),
    ("urn:schemas:mailheader:subject", "PidTagSubject"),
    ("urn:schemas:httpmail:textdescription", "PidTagBody"),
    ("urn:schemas:httpmail:fromname", "PidTagSentRepresentingName"),
    ("urn:schemas:httpmail:fromemail", "PidTagSentRepresentingEmailAddress"),
    ("urn:schemas:httpmail:sendername", "PidTagSenderName"),
    ("urn:schemas:httpmail:senderemail", "PidTagSenderEmailAddress"),
    ("urn:schemas:httpmail:datereceived", "PidTagMessageDeliveryTime"),
    ("urn:schemas:httpmail:date", "PidTagClientSubmitTime"),
    ("urn:schemas:httpmail:displayto", "PidTagDisplayTo"),
    ("urn:schemas:httpmail:displaycc", "PidTagDisplayCc"),
    ("urn:schemas:httpmail:importance", "PidTagImportance"),
    ("urn:schemas:httpmail:read", "PidTagRead"),
    ("urn:schemas:httpmail:hasattachment", "PidTagHasAttachments"),
    ("urn:schemas:httpmail:thread-topic", "PidTagConversationTopic"),
    ("urn:schemas:httpmail:messageflag", "PidTagFlagStatus"),
    ("dav:getlastmodified", "PidTagLastModificationTime"),
    ("dav:creationdate", "PidTagCreationTime"),
    ("dav:displayname", "PidTagDisplayName"),
    ("urn:schemas:calendar:dtstart", "PidLidAppointmentStartWhole"),
    ("urn:schemas:calendar:dtend", "PidLidAppointmentEndWhole"),
    ("urn:schemas:calendar:location", "PidLidLocation"),
    ("urn:schemas-microsoft-com:office:office#keywords", "PidNameKeywords"),
    ("urn:schemas:contacts:cn", "PidTagDisplayName"),
    ("urn:schemas:contacts:givenname", "PidTagGivenName"),
    ("urn:schemas:contacts:sn", "PidTagSurname"),
    ("urn:schemas:contacts:o", "PidTagCompanyName"),
];

pub fn jet_field(name: &str) -> Option<&'static str> {
    let key = name.to_ascii_lowercase();
    JET_FIELDS.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

pub fn dasl_field(name: &str) -> Option<&'static str> {
    let key = name.to_ascii_lowercase();
    DASL_FIELDS.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}
