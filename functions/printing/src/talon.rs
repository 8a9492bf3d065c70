//! The registration talon ("каттоо талону / регистрационный талон / registration card"):
//! one A4 page with the trilingual labels of the printed form, the foreigner's photo,
//! the 14-digit registration number, the data of the registration and a QR code that
//! leads to its verification.

use crate::sheet::{Sheet, row};

/// What a talon prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Talon {
    pub registration_number: String,
    /// Surname and given names, as in the passport.
    pub full_name: String,
    pub birth_date: String,
    /// `M`, `F` or `X` (unspecified), as the passport has it.
    pub sex: String,
    pub citizenship: String,
    /// Type, country and number of the identity document.
    pub document: String,
    pub document_valid_until: String,
    pub entry_date: String,
    pub address: String,
    pub valid_from: String,
    pub valid_to: String,
    /// The host, and the host's document.
    pub host: String,
    /// Issue date and time in GMT+6, `DD.MM.YYYY HH:MM`.
    pub issued_at: String,
}

impl Talon {
    /// The printed fields in one line: what the QR payload's hash covers.
    pub fn fields(&self) -> String {
        [
            &self.registration_number,
            &self.full_name,
            &self.birth_date,
            &self.sex,
            &self.citizenship,
            &self.document,
            &self.document_valid_until,
            &self.entry_date,
            &self.address,
            &self.valid_from,
            &self.valid_to,
            &self.host,
        ]
        .map(String::as_str)
        .join("|")
    }
}

/// The ministry the department belongs to, as the card's header names it.
pub const MINISTRY: [&str; 3] = [
    "КЫРГЫЗ РЕСПУБЛИКАСЫНЫН САНАРИПТИК ӨНҮКТҮРҮҮ МИНИСТРЛИГИ",
    "МИНИСТЕРСТВО ЦИФРОВОГО РАЗВИТИЯ КЫРГЫЗСКОЙ РЕСПУБЛИКИ",
    "MINISTRY OF DIGITAL DEVELOPMENT OF THE KYRGYZ REPUBLIC",
];

/// The issuing authority, as the card names it.
pub const AUTHORITY: [&str; 3] = [
    "Калкты каттоо департаменти",
    "Департамент регистрации населения",
    "Department of Population Registration",
];

/// Each row: the label in Kyrgyz, Russian and English, and the value.
fn rows(t: &Talon) -> Vec<([&'static str; 3], String)> {
    vec![
        (
            [
                "Фамилиясы, аты, атасынын аты",
                "Фамилия, имя, отчество",
                "Surname Name Middle name",
            ],
            t.full_name.clone(),
        ),
        (
            [
                "Туулган күнү, жынысы",
                "Дата рождения, пол",
                "Date of birth, sex",
            ],
            // Beside the birth date, so that the card keeps its length.
            format!("{}, {}", t.birth_date, t.sex),
        ),
        (
            ["Жарандыгы", "Гражданство", "Citizenship"],
            t.citizenship.clone(),
        ),
        (
            [
                "Инсандыгын күбөлөндүрүүчү документ (түрү, сериясы, номуру)",
                "Документ, удостоверяющий личность (тип, серия, номер)",
                "Identity document (type, series, number)",
            ],
            t.document.clone(),
        ),
        (
            [
                "Документтин жарактуулук мөөнөтү",
                "Срок действия документа",
                "Document valid until",
            ],
            t.document_valid_until.clone(),
        ),
        (
            ["Кирген күнү", "Дата въезда", "Date of entry"],
            t.entry_date.clone(),
        ),
        (
            [
                "Убактылуу турган жери боюнча катталган дареги",
                "Зарегистрирован по месту пребывания по адресу",
                "Registered at the place of stay at",
            ],
            t.address.clone(),
        ),
        (
            ["Катталган күнү", "Дата регистрации", "Date of registration"],
            t.valid_from.clone(),
        ),
        (["Чейин", "По", "Valid until"], t.valid_to.clone()),
        (
            [
                "Кабыл алуучу тарап, анын документи",
                "Принимающая сторона, её документ",
                "Host and the host's document",
            ],
            t.host.clone(),
        ),
    ]
}

impl Talon {
    /// The page to print.
    pub fn sheet(&self) -> Sheet {
        Sheet {
            name: format!("Registration card {}", self.registration_number),
            header: MINISTRY.map(str::to_owned).to_vec(),
            title: vec!["КАТТОО ТАЛОНУ / РЕГИСТРАЦИОННЫЙ ТАЛОН / REGISTRATION CARD".into()],
            subtitle: vec![
                "чет өлкөлүк жарандын жана жарандыгы жок адамдын убактылуу турган жери боюнча"
                    .into(),
                "иностранного гражданина и лица без гражданства по месту пребывания".into(),
                "of a foreign citizen and a stateless person at the place of stay".into(),
            ],
            number_label: "Каттоонун номуру / Номер регистрации / Registration number:".into(),
            number: self.registration_number.clone(),
            with_photo: true,
            rows: rows(self)
                .into_iter()
                .map(|(labels, value)| row(labels, value))
                .collect(),
            authority: AUTHORITY.map(str::to_owned),
            issued_at: self.issued_at.clone(),
        }
    }
}

/// Renders the talon: the PDF bytes. `verify_url` goes into the QR code.
pub fn render(talon: &Talon, photo: Option<&[u8]>, verify_url: &str) -> anyhow::Result<Vec<u8>> {
    crate::sheet::render(&talon.sheet(), photo, verify_url)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn sample() -> Talon {
        Talon {
            registration_number: "59930207077349".into(),
            full_name: "KARIMOV RUSTAM".into(),
            birth_date: "02.03.1988".into(),
            sex: "M".into(),
            citizenship: "Өзбекстан / Узбекистан / Uzbekistan".into(),
            document: "Жалпы жарандык паспорт / Общегражданский паспорт / Ordinary passport, UZB FA1234567".into(),
            document_valid_until: "16.05.2031".into(),
            entry_date: "20.11.2026".into(),
            address: "г. Бишкек, Свердловский район, ул. Исанова, 16, кв. 97".into(),
            valid_from: "21.11.2026".into(),
            valid_to: "20.02.2027".into(),
            host: "ASANOV AIBEK, KGZ AC***67".into(),
            issued_at: "23.11.2026 14:05".into(),
        }
    }

    #[test]
    fn a_talon_with_a_photo_is_one_small_page() {
        let photo = {
            let mut out = Vec::new();
            image::RgbImage::from_fn(600, 800, |x, y| {
                image::Rgb([(x % 200) as u8 + 40, (y % 180) as u8 + 40, 150])
            })
            .write_to(
                &mut std::io::Cursor::new(&mut out),
                image::ImageFormat::Jpeg,
            )
            .unwrap();
            imaging::print_copy_of(&out).unwrap()
        };
        let pdf = render(
            &sample(),
            Some(&photo),
            "https://e.migration.kg/verify?d=T59930207077349.3.abc.sig",
        )
        .unwrap();
        assert!(pdf.starts_with(b"%PDF"));
        assert!(pdf.len() < 80 * 1024, "{} bytes", pdf.len());
        let parsed = lopdf::Document::load_mem(&pdf).unwrap();
        assert_eq!(parsed.get_pages().len(), 1);
    }
}
