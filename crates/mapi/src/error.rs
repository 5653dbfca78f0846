//! MAPI error codes (HRESULTs from mapicode.h, with the `ec*` names of MS-OXCDATA 2.4) and the
//! error type every Outpost layer maps its own errors into at the object-model boundary.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! error_codes {
    ($( $variant:ident = $value:literal, $mapi:literal, $ec:literal, $text:literal; )*) => {
        /// A MAPI status code. `Other` keeps values this table does not name.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ErrorCode {
            $( #[doc = concat!("`", $mapi, "` / `", $ec, "`: ", $text)] $variant, )*
            /// A code this table does not name.
            Other(u32),
        }

        impl ErrorCode {
            /// Every named code.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant),*];

            /// The HRESULT (or Exchange `ec` value) as a 32-bit number.
            pub const fn value(self) -> u32 {
                match self { $( ErrorCode::$variant => $value, )* ErrorCode::Other(v) => v }
            }

            /// Code for a value; unknown values become `Other`.
            pub const fn from_value(value: u32) -> ErrorCode {
                match value { $( $value => ErrorCode::$variant, )* other => ErrorCode::Other(other) }
            }

            /// The mapicode.h name, e.g. `MAPI_E_NOT_FOUND` (empty for `Other`).
            pub const fn mapi_name(self) -> &'static str {
                match self { $( ErrorCode::$variant => $mapi, )* ErrorCode::Other(_) => "" }
            }

            /// The MS-OXCDATA 2.4 name, e.g. `ecNotFound` (empty for `Other`).
            pub const fn ec_name(self) -> &'static str {
                match self { $( ErrorCode::$variant => $ec, )* ErrorCode::Other(_) => "" }
            }

            /// A short English description.
            pub const fn description(self) -> &'static str {
                match self { $( ErrorCode::$variant => $text, )* ErrorCode::Other(_) => "unknown MAPI error" }
            }

            /// Looks a code up by either name (`MAPI_E_NOT_FOUND` or `ecNotFound`).
            pub fn from_name(name: &str) -> Option<ErrorCode> {
                ErrorCode::ALL.iter().copied().find(|c| c.mapi_name() == name || c.ec_name() == name)
            }
        }
    };
}

error_codes! {
    Success = 0x0000_0000, "S_OK", "ecNone", "success";
    CallFailed = 0x8000_4005, "MAPI_E_CALL_FAILED", "ecError", "the call failed";
    NotEnoughMemory = 0x8007_000E, "MAPI_E_NOT_ENOUGH_MEMORY", "ecMAPIOOM", "not enough memory";
    InvalidParameter = 0x8007_0057, "MAPI_E_INVALID_PARAMETER", "ecInvalidParam", "an argument is not valid";
    InterfaceNotSupported = 0x8000_4002, "MAPI_E_INTERFACE_NOT_SUPPORTED", "ecInterfaceNotSupported", "interface not supported";
    NoAccess = 0x8007_0005, "MAPI_E_NO_ACCESS", "ecAccessDenied", "access denied";
    NoSupport = 0x8004_0102, "MAPI_E_NO_SUPPORT", "ecNotSupported", "not supported";
    BadCharWidth = 0x8004_0103, "MAPI_E_BAD_CHARWIDTH", "ecBadCharWidth", "string width (ANSI/Unicode) not supported";
    StringTooLong = 0x8004_0105, "MAPI_E_STRING_TOO_LONG", "ecStringTooLong", "string too long";
    UnknownFlags = 0x8004_0106, "MAPI_E_UNKNOWN_FLAGS", "ecUnknownFlags", "unknown flags";
    InvalidEntryId = 0x8004_0107, "MAPI_E_INVALID_ENTRYID", "ecInvalidEntryId", "the entry ID is not valid";
    InvalidObject = 0x8004_0108, "MAPI_E_INVALID_OBJECT", "ecInvalidObject", "the object is not valid";
    ObjectChanged = 0x8004_0109, "MAPI_E_OBJECT_CHANGED", "ecObjectModified", "the object was changed by someone else";
    ObjectDeleted = 0x8004_010A, "MAPI_E_OBJECT_DELETED", "ecObjectDeleted", "the object was deleted";
    Busy = 0x8004_010B, "MAPI_E_BUSY", "ecBusy", "busy";
    NotEnoughDisk = 0x8004_010D, "MAPI_E_NOT_ENOUGH_DISK", "ecDiskFull", "not enough disk space";
    NotEnoughResources = 0x8004_010E, "MAPI_E_NOT_ENOUGH_RESOURCES", "ecInsufficientResrc", "not enough resources";
    NotFound = 0x8004_010F, "MAPI_E_NOT_FOUND", "ecNotFound", "the object could not be found";
    Version = 0x8004_0110, "MAPI_E_VERSION", "ecVersionMismatch", "version mismatch";
    LogonFailed = 0x8004_0111, "MAPI_E_LOGON_FAILED", "ecLoginFailure", "logon failed";
    SessionLimit = 0x8004_0112, "MAPI_E_SESSION_LIMIT", "ecTooManySessions", "too many sessions";
    UserCancel = 0x8004_0113, "MAPI_E_USER_CANCEL", "ecUserAbort", "cancelled by the user";
    UnableToAbort = 0x8004_0114, "MAPI_E_UNABLE_TO_ABORT", "ecUnableToAbort", "the operation cannot be aborted";
    NetworkError = 0x8004_0115, "MAPI_E_NETWORK_ERROR", "ecNetwork", "network error";
    DiskError = 0x8004_0116, "MAPI_E_DISK_ERROR", "ecWriteFault", "disk read or write error";
    TooComplex = 0x8004_0117, "MAPI_E_TOO_COMPLEX", "ecTooComplex", "the operation is too complex";
    BadColumn = 0x8004_0118, "MAPI_E_BAD_COLUMN", "ecBadColumn", "a column is not valid";
    ExtendedError = 0x8004_0119, "MAPI_E_EXTENDED_ERROR", "ecExtended", "extended error";
    Computed = 0x8004_011A, "MAPI_E_COMPUTED", "ecComputed", "the property is computed and read-only";
    CorruptData = 0x8004_011B, "MAPI_E_CORRUPT_DATA", "ecCorruptData", "the data is corrupt";
    Unconfigured = 0x8004_011C, "MAPI_E_UNCONFIGURED", "ecUnconfigured", "the information store could not be opened";
    FailOneProvider = 0x8004_011D, "MAPI_E_FAILONEPROVIDER", "ecFailOneProvider", "one provider failed";
    UnknownCodepage = 0x8004_011E, "MAPI_E_UNKNOWN_CPID", "ecUnknownCodepage", "unknown code page";
    UnknownLcid = 0x8004_011F, "MAPI_E_UNKNOWN_LCID", "ecUnknownLcid", "unknown locale";
    PasswordChangeRequired = 0x8004_0120, "MAPI_E_PASSWORD_CHANGE_REQUIRED", "ecPasswordChangeRequired", "the password must be changed";
    PasswordExpired = 0x8004_0121, "MAPI_E_PASSWORD_EXPIRED", "ecPasswordExpired", "the password has expired";
    InvalidWorkstationAccount = 0x8004_0122, "MAPI_E_INVALID_WORKSTATION_ACCOUNT", "ecInvalidWorkstationAccount", "invalid workstation account";
    InvalidAccessTime = 0x8004_0123, "MAPI_E_INVALID_ACCESS_TIME", "ecInvalidAccessTime", "logon not allowed at this time";
    AccountDisabled = 0x8004_0124, "MAPI_E_ACCOUNT_DISABLED", "ecAccountDisabled", "the account is disabled";
    EndOfSession = 0x8004_0200, "MAPI_E_END_OF_SESSION", "ecEndOfSession", "the session has ended";
    UnknownEntryId = 0x8004_0201, "MAPI_E_UNKNOWN_ENTRYID", "ecUnknownEntryId", "no provider knows this entry ID";
    MissingRequiredColumn = 0x8004_0202, "MAPI_E_MISSING_REQUIRED_COLUMN", "ecMissingRequiredColumn", "a required column is missing";
    BadValue = 0x8004_0301, "MAPI_E_BAD_VALUE", "ecBadValue", "the value is not valid";
    InvalidType = 0x8004_0302, "MAPI_E_INVALID_TYPE", "ecInvalidType", "the property type is not valid";
    TypeNoSupport = 0x8004_0303, "MAPI_E_TYPE_NO_SUPPORT", "ecTypeNotSupported", "the property type is not supported";
    UnexpectedType = 0x8004_0304, "MAPI_E_UNEXPECTED_TYPE", "ecUnexpectedType", "unexpected property type";
    TooBig = 0x8004_0305, "MAPI_E_TOO_BIG", "ecTooBig", "the value is too big";
    DeclineCopy = 0x8004_0306, "MAPI_E_DECLINE_COPY", "ecDeclineCopy", "copy declined";
    UnexpectedId = 0x8004_0307, "MAPI_E_UNEXPECTED_ID", "ecUnexpectedId", "unexpected property ID";
    UnableToComplete = 0x8004_0400, "MAPI_E_UNABLE_TO_COMPLETE", "ecUnableToComplete", "the operation could not be completed";
    Timeout = 0x8004_0401, "MAPI_E_TIMEOUT", "ecTimeout", "the operation timed out";
    TableEmpty = 0x8004_0402, "MAPI_E_TABLE_EMPTY", "ecTableEmpty", "the table is empty";
    TableTooBig = 0x8004_0403, "MAPI_E_TABLE_TOO_BIG", "ecTableTooBig", "the table is too big";
    InvalidBookmark = 0x8004_0405, "MAPI_E_INVALID_BOOKMARK", "ecInvalidBookmark", "the bookmark is not valid";
    Wait = 0x8004_0500, "MAPI_E_WAIT", "ecWait", "wait";
    Cancel = 0x8004_0501, "MAPI_E_CANCEL", "ecCancel", "cancelled";
    NotMe = 0x8004_0502, "MAPI_E_NOT_ME", "ecNotMe", "not handled by this provider";
    CorruptStore = 0x8004_0600, "MAPI_E_CORRUPT_STORE", "ecCorruptStore", "the message store is corrupt";
    NotInQueue = 0x8004_0601, "MAPI_E_NOT_IN_QUEUE", "ecNotInQueue", "the message is not in the queue";
    NoSuppress = 0x8004_0602, "MAPI_E_NO_SUPPRESS", "ecNoSuppress", "cannot suppress";
    Collision = 0x8004_0604, "MAPI_E_COLLISION", "ecDuplicateName", "an object with that name already exists";
    NotInitialized = 0x8004_0605, "MAPI_E_NOT_INITIALIZED", "ecNotInitialized", "not initialised";
    NonStandard = 0x8004_0606, "MAPI_E_NON_STANDARD", "ecNonStandard", "non-standard";
    NoRecipients = 0x8004_0607, "MAPI_E_NO_RECIPIENTS", "ecNoRecipients", "the message has no recipients";
    Submitted = 0x8004_0608, "MAPI_E_SUBMITTED", "ecSubmitted", "the message was already submitted";
    HasFolders = 0x8004_0609, "MAPI_E_HAS_FOLDERS", "ecFolderHasChildren", "the folder has subfolders";
    HasMessages = 0x8004_060A, "MAPI_E_HAS_MESSAGES", "ecFolderHasContents", "the folder has messages";
    FolderCycle = 0x8004_060B, "MAPI_E_FOLDER_CYCLE", "ecRootFolder", "the folder would contain itself";
    AmbiguousRecip = 0x8004_0700, "MAPI_E_AMBIGUOUS_RECIP", "ecAmbiguousRecip", "the recipient name is ambiguous";
    NamedPropQuotaExceeded = 0x8004_0900, "MAPI_E_NAMED_PROP_QUOTA_EXCEEDED", "ecNPQuotaExceeded", "too many named properties";
    NotImplemented = 0x8004_0FFF, "MAPI_E_NOT_IMPLEMENTED", "ecNotImplemented", "not implemented";
    NoService = 0x0004_0203, "MAPI_W_NO_SERVICE", "ecWarnNoService", "warning: a service is not available";
    ErrorsReturned = 0x0004_0380, "MAPI_W_ERRORS_RETURNED", "ecWarnWithErrors", "warning: some properties could not be returned";
    PositionChanged = 0x0004_0481, "MAPI_W_POSITION_CHANGED", "ecWarnPositionChanged", "warning: the table position changed";
    ApproxCount = 0x0004_0482, "MAPI_W_APPROX_COUNT", "ecWarnApproxCount", "warning: the count is approximate";
    CancelMessage = 0x0004_0580, "MAPI_W_CANCEL_MESSAGE", "ecWarnCancelMessage", "warning: the message was cancelled";
    PartialCompletion = 0x0004_0680, "MAPI_W_PARTIAL_COMPLETION", "ecWarnPartialCompletion", "warning: partially completed";
    RpcFormat = 0x0000_04B6, "", "ecRpcFormat", "the request is malformed";
    NullObject = 0x0000_04B9, "", "ecNullObject", "no object at that handle";
    QuotaExceeded = 0x0000_04D9, "", "ecQuotaExceeded", "the mailbox quota is exceeded";
    MaxSubmissionExceeded = 0x0000_04DD, "", "ecMaxSubmissionExceeded", "the message is too big to send";
}

impl ErrorCode {
    /// True for warnings and success (severity bit clear).
    pub const fn is_success(self) -> bool {
        self.value() & 0x8000_0000 == 0
            && !matches!(
                self,
                ErrorCode::RpcFormat
                    | ErrorCode::NullObject
                    | ErrorCode::QuotaExceeded
                    | ErrorCode::MaxSubmissionExceeded
            )
    }

    /// The most specific name: mapicode.h if it has one, else the `ec` name, else hex.
    pub fn name(self) -> String {
        match (self.mapi_name(), self.ec_name()) {
            ("", "") => format!("0x{:08X}", self.value()),
            ("", ec) => ec.to_owned(),
            (mapi, _) => mapi.to_owned(),
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (0x{:08X})", self.name(), self.value())
    }
}

impl Serialize for ErrorCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.name())
    }
}

impl<'de> Deserialize<'de> for ErrorCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        if let Some(code) = ErrorCode::from_name(&text) {
            return Ok(code);
        }
        let digits = text.strip_prefix("0x").unwrap_or(&text);
        u32::from_str_radix(digits, 16)
            .map(ErrorCode::from_value)
            .map_err(|_| serde::de::Error::custom(format!("unknown MAPI error {text:?}")))
    }
}

/// An error as the object model reports it: a MAPI code plus a message for people.
/// Every lower crate maps its own error enum into this at the boundary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message} [{code}]")]
pub struct MapiError {
    pub code: ErrorCode,
    pub message: String,
}

impl MapiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> MapiError {
        MapiError { code, message: message.into() }
    }

    pub fn not_found(message: impl Into<String>) -> MapiError {
        MapiError::new(ErrorCode::NotFound, message)
    }

    pub fn invalid_entry_id(message: impl Into<String>) -> MapiError {
        MapiError::new(ErrorCode::InvalidEntryId, message)
    }

    pub fn invalid_parameter(message: impl Into<String>) -> MapiError {
        MapiError::new(ErrorCode::InvalidParameter, message)
    }

    pub fn no_access(message: impl Into<String>) -> MapiError {
        MapiError::new(ErrorCode::NoAccess, message)
    }

    pub fn corrupt(message: impl Into<String>) -> MapiError {
        MapiError::new(ErrorCode::CorruptData, message)
    }
}

pub type MapiResult<T> = Result<T, MapiError>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_from_the_session_model_have_their_values() {
        assert_eq!(ErrorCode::NotFound.value(), 0x8004_010F);
        assert_eq!(ErrorCode::Unconfigured.value(), 0x8004_011C);
        assert_eq!(ErrorCode::LogonFailed.value(), 0x8004_0111);
        assert_eq!(ErrorCode::NoAccess.value(), 0x8007_0005);
        assert_eq!(ErrorCode::UnknownEntryId.value(), 0x8004_0201);
        assert_eq!(ErrorCode::AmbiguousRecip.value(), 0x8004_0700);
    }

    #[test]
    fn table_has_no_duplicate_values_or_names() {
        let mut values = HashSet::new();
        let mut names = HashSet::new();
        for &code in ErrorCode::ALL {
            assert!(values.insert(code.value()), "duplicate value {code}");
            assert_eq!(ErrorCode::from_value(code.value()), code);
            assert!(names.insert(code.name()), "duplicate name {code}");
            assert_eq!(ErrorCode::from_name(&code.name()), Some(code));
        }
    }

    #[test]
    fn unknown_values_are_kept() {
        let code = ErrorCode::from_value(0x8004_0ABC);
        assert_eq!(code, ErrorCode::Other(0x8004_0ABC));
        assert_eq!(code.to_string(), "0x80040ABC (0x80040ABC)");
    }

    #[test]
    fn error_serialises_with_code_name() {
        let err = MapiError::not_found("no item with that entry ID");
        let json = serde_json::to_value(&err).unwrap();
        assert_eq!(json["code"], "MAPI_E_NOT_FOUND");
        assert_eq!(err.to_string(), "no item with that entry ID [MAPI_E_NOT_FOUND (0x8004010F)]");
    }
}
