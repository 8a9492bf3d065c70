//! Printed documents carry a QR code with a verification payload: the document id, its
//! version and a hash of the printed fields, signed with Ed25519. Anyone with the public
//! key checks offline that the paper is authentic; the online check says whether it is
//! still valid.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use sha2::{Digest, Sha256};

/// The signer of printed documents.
#[derive(Clone)]
pub struct DocumentSigner {
    key: SigningKey,
}

impl std::fmt::Debug for DocumentSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DocumentSigner")
            .field("public_key", &self.public_key())
            .finish_non_exhaustive()
    }
}

/// What a QR code carries, signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payload {
    /// `T<registration number>` for a registration talon, `E<application number>` (no dash) for
    /// the extract from a quota commission's protocol.
    pub id: String,
    pub version: u64,
    /// Base64url of the first 16 bytes of SHA-256 over the printed fields.
    pub hash: String,
}

impl Payload {
    fn message(&self) -> String {
        format!("{}.{}.{}", self.id, self.version, self.hash)
    }
}

/// The hash of the printed fields, as a payload carries it.
pub fn fields_hash(printed: &str) -> String {
    URL_SAFE_NO_PAD.encode(&Sha256::digest(printed.as_bytes())[..16])
}

impl DocumentSigner {
    /// From the 32-byte seed in configuration (`PRINT_SIGNING_KEY`, hex).
    pub fn from_seed(seed: [u8; 32]) -> Self {
        Self {
            key: SigningKey::from_bytes(&seed),
        }
    }

    /// The public key, base64url, as `GET /v1/public/verification-key` publishes it.
    pub fn public_key(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.key.verifying_key().as_bytes())
    }

    /// `<id>.<version>.<hash>.<signature>`, for the QR code's URL.
    pub fn sign(&self, payload: &Payload) -> String {
        let signature = self.key.sign(payload.message().as_bytes());
        format!(
            "{}.{}",
            payload.message(),
            URL_SAFE_NO_PAD.encode(signature.to_bytes())
        )
    }

    /// The payload, if `signed` carries this signer's valid signature.
    pub fn verify(&self, signed: &str) -> Option<Payload> {
        verify_with(&self.key.verifying_key(), signed)
    }
}

/// Checks a signed payload against a public key (what an offline verifier does).
pub fn verify_with(public_key: &VerifyingKey, signed: &str) -> Option<Payload> {
    let (message, signature) = signed.trim().rsplit_once('.')?;
    let mut fields = message.splitn(3, '.');
    let id = fields.next()?.to_owned();
    let version = fields.next()?.parse().ok()?;
    let hash = fields.next()?.to_owned();
    let valid_id = (2..=40).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric());
    if !valid_id || hash.len() > 32 {
        return None;
    }
    let bytes: [u8; 64] = URL_SAFE_NO_PAD.decode(signature).ok()?.try_into().ok()?;
    public_key
        .verify(message.as_bytes(), &Signature::from_bytes(&bytes))
        .ok()?;
    Some(Payload { id, version, hash })
}

/// A public key as published, for [`verify_with`].
pub fn public_key(encoded: &str) -> Option<VerifyingKey> {
    let bytes: [u8; 32] = URL_SAFE_NO_PAD.decode(encoded).ok()?.try_into().ok()?;
    VerifyingKey::from_bytes(&bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payload() -> Payload {
        Payload {
            id: "T59930207077349".into(),
            version: 3,
            hash: fields_hash("KARIMOV RUSTAM|1988-03-02"),
        }
    }

    #[test]
    fn a_signed_payload_verifies_offline_and_any_change_fails() {
        let signer = DocumentSigner::from_seed([7; 32]);
        let signed = signer.sign(&payload());
        let key = public_key(&signer.public_key()).unwrap();
        assert_eq!(verify_with(&key, &signed), Some(payload()));
        let tampered = signed.replacen(".3.", ".4.", 1);
        assert_eq!(verify_with(&key, &tampered), None);
        let other = DocumentSigner::from_seed([8; 32]);
        assert_eq!(other.verify(&signed), None);
        assert_eq!(signer.verify("T1.1.x"), None);
        assert_eq!(signer.verify(""), None);
    }
}
