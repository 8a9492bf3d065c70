//! The e-work documents: the work permit, the Digital Nomad electronic card and the
//! extract from the quota commission's protocol. They render from their data now; the
//! decisions that issue them come with the e-work applications. Wording as the seeds
//! print it (the e-card's labels verbatim).

use crate::sheet::{Sheet, row};

/// The ministry that issues them, as its documents name it.
pub const MINISTRY: [&str; 3] = [
    "Кыргыз Республикасынын Эмгек, социалдык камсыздоо жана миграция министрлиги",
    "Министерство труда, социального обеспечения и миграции Кыргызской Республики",
    "The Ministry of Labour, Social Security and Migration of the Kyrgyz Republic",
];

fn ministry() -> [String; 3] {
    MINISTRY.map(str::to_owned)
}

/// A work permit for one foreigner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkPermit {
    /// `P-` and 8 digits.
    pub number: String,
    pub full_name: String,
    pub birth_date: String,
    pub passport: String,
    pub citizenship: String,
    pub valid_from: String,
    pub valid_to: String,
    pub position: String,
    pub organization: String,
    pub organization_tax_id: String,
    pub work_region: String,
    /// `DD.MM.YYYY HH:MM` in GMT+6.
    pub issued_at: String,
}

impl WorkPermit {
    /// The printed fields in one line: what the QR payload's hash covers.
    pub fn fields(&self) -> String {
        [
            &self.number,
            &self.full_name,
            &self.birth_date,
            &self.passport,
            &self.citizenship,
            &self.valid_from,
            &self.valid_to,
            &self.position,
            &self.organization,
            &self.organization_tax_id,
            &self.work_region,
        ]
        .map(String::as_str)
        .join("|")
    }

    pub fn sheet(&self) -> Sheet {
        Sheet {
            name: format!("Work permit {}", self.number),
            header: MIGRATION_DEPARTMENT.map(str::to_owned).to_vec(),
            title: vec!["ИШТӨӨГӨ УРУКСАТ / РАЗРЕШЕНИЕ НА РАБОТУ / WORK PERMIT".into()],
            subtitle: vec![
                "чет өлкөлүк жаранга / иностранному гражданину / for a foreign citizen".into(),
            ],
            number_label: "Уруксаттын номуру / Номер разрешения / Permit number:".into(),
            number: self.number.clone(),
            with_photo: true,
            rows: vec![
                row(
                    ["Фамилиясы, аты", "Фамилия, имя", "Surname, name"],
                    &self.full_name,
                ),
                row(
                    ["Туулган күнү", "Дата рождения", "Date of birth"],
                    &self.birth_date,
                ),
                row(
                    ["Паспорттун номери", "Номер паспорта", "Passport number"],
                    &self.passport,
                ),
                row(
                    [
                        "Келген өлкөсү (жарандыгы)",
                        "Страна происхождения (гражданство)",
                        "Country",
                    ],
                    &self.citizenship,
                ),
                row(
                    [
                        "Уруксаттын жарактуулук мөөнөтү",
                        "Срок действия разрешения",
                        "Validity of the permit",
                    ],
                    format!("{} — {}", self.valid_from, self.valid_to),
                ),
                row(["Кызматы", "Должность", "Position"], &self.position),
                row(["Уюм", "Организация", "Organization"], &self.organization),
                row(
                    ["Уюмдун ИНН", "ИНН организации", "Organization's tax id"],
                    &self.organization_tax_id,
                ),
                row(
                    ["Иштөө аймагы", "Регион работы", "Work region"],
                    &self.work_region,
                ),
            ],
            authority: ministry(),
            issued_at: self.issued_at.clone(),
        }
    }
}

/// The department of the ministry that issues work permits, as the permit's header
/// names it.
pub const MIGRATION_DEPARTMENT: [&str; 3] = [
    "Эмгек, социалдык камсыздоо жана миграция министрлиги, Миграция маселеси боюнча башкармалыгы",
    "Министерство труда, социального обеспечения и миграции КР, Управление по вопросам миграции",
    "Ministry of Labour, Social Security and Migration, Migration Department",
];

/// The Digital Nomad electronic card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NomadCard {
    /// `N-` and 8 digits.
    pub number: String,
    pub full_name: String,
    pub birth_date: String,
    pub citizenship: String,
    pub passport: String,
    pub passport_issued: String,
    pub passport_expires: String,
    pub status_valid_until: String,
    pub period_of_stay: String,
    pub issued_at: String,
}

impl NomadCard {
    /// The printed fields in one line: what the QR payload's hash covers.
    pub fn fields(&self) -> String {
        [
            &self.number,
            &self.full_name,
            &self.birth_date,
            &self.citizenship,
            &self.passport,
            &self.passport_issued,
            &self.passport_expires,
            &self.status_valid_until,
            &self.period_of_stay,
        ]
        .map(String::as_str)
        .join("|")
    }

    pub fn sheet(&self) -> Sheet {
        Sheet {
            name: format!("Digital Nomad card {}", self.number),
            header: Vec::new(),
            title: vec![
                "САНАРИПТИК КӨЧМӨН ЭЛЕКТРОНДУК КАРТОЧКАСЫ".into(),
                "ЭЛЕКТРОННАЯ КАРТОЧКА ЦИФРОВОГО КОЧЕВНИКА".into(),
                "DIGITAL NOMAD'S ELECTRONIC CARD".into(),
            ],
            subtitle: vec!["«САНАРИП КӨЧМӨН» / «ЦИФРОВОЙ КОЧЕВНИК» / «DIGITAL NOMAD»".into()],
            number_label: "Номуру / Номер / Number:".into(),
            number: self.number.clone(),
            with_photo: true,
            rows: vec![
                row(
                    ["Толук аты-жөнү", "Ф.И.О. полностью", "Full name"],
                    &self.full_name,
                ),
                row(
                    ["Туулган күнү", "Дата рождения", "Date of birth"],
                    &self.birth_date,
                ),
                row(
                    ["Жарандыгы", "Гражданство", "Citizenship"],
                    &self.citizenship,
                ),
                row(
                    [
                        "Өтүү документинин (паспорттун) номери",
                        "Номер проездного документа (паспорт)",
                        "Number of Travel document (passport)",
                    ],
                    &self.passport,
                ),
                row(
                    [
                        "Өтүү документинин (паспорт) берилген датасы",
                        "Дата выдачи проездного документа (паспорт)",
                        "Date of issue of the travelling document (passport)",
                    ],
                    &self.passport_issued,
                ),
                row(
                    [
                        "Өтүү документинин (паспорт) колдонулуу мөөнөтү",
                        "Срок действия проездного документа (паспорт)",
                        "Date of expiry of the travelling document (passport)",
                    ],
                    &self.passport_expires,
                ),
                row(
                    [
                        "Статустун колдонулуу мөөнөтү",
                        "Срок действия статуса",
                        "Validity of status",
                    ],
                    &self.status_valid_until,
                ),
                row(
                    ["Жүрүү мөөнөтү", "Период пребывания", "Period of stay"],
                    &self.period_of_stay,
                ),
            ],
            authority: ministry(),
            issued_at: self.issued_at.clone(),
        }
    }
}

/// One allocated quota: country, position, count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allocation {
    pub country: String,
    pub position: String,
    pub count: u32,
}

/// The extract from the quota commission's protocol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtocolExtract {
    /// The quota application, `Q-` and 8 digits.
    pub application: String,
    pub employer: String,
    pub employer_tax_id: String,
    /// The number of the commission's protocol.
    pub protocol_number: String,
    pub decision_date: String,
    pub allocations: Vec<Allocation>,
    pub issued_at: String,
}

impl ProtocolExtract {
    /// The printed fields in one line: what the QR payload's hash covers.
    pub fn fields(&self) -> String {
        let mut parts = vec![
            self.application.clone(),
            self.employer.clone(),
            self.employer_tax_id.clone(),
            self.protocol_number.clone(),
            self.decision_date.clone(),
        ];
        parts.extend(
            self.allocations
                .iter()
                .map(|a| format!("{}/{}/{}", a.country, a.position, a.count)),
        );
        parts.join("|")
    }

    pub fn sheet(&self) -> Sheet {
        let mut rows = vec![
            row(["Иш берүүчү", "Работодатель", "Employer"], &self.employer),
            row(
                ["Иш берүүчүнүн ИНН", "ИНН работодателя", "Employer's tax id"],
                &self.employer_tax_id,
            ),
            row(
                ["Протоколдун номуру", "Номер протокола", "Protocol number"],
                &self.protocol_number,
            ),
            row(
                ["Чечимдин датасы", "Дата решения", "Decision date"],
                &self.decision_date,
            ),
        ];
        rows.extend(self.allocations.iter().map(|a| {
            row(
                [
                    "Бөлүнгөн квота: өлкө, кызмат, саны",
                    "Выделенная квота: страна, должность, количество",
                    "Allocated quota: country, position, count",
                ],
                format!("{} — {} — {}", a.country, a.position, a.count),
            )
        }));
        Sheet {
            name: format!("Protocol extract {}", self.application),
            header: Vec::new(),
            title: vec![
                "КОМИССИЯНЫН ПРОТОКОЛУНАН КӨЧҮРМӨ".into(),
                "ВЫПИСКА ИЗ ПРОТОКОЛА КОМИССИИ".into(),
                "EXTRACT FROM THE COMMISSION'S PROTOCOL".into(),
            ],
            subtitle: vec![
                "чет өлкөлүк жумушчу күчүнө квота боюнча / по квоте на иностранную рабочую силу / on the foreign labour quota".into(),
            ],
            number_label: "Арыздын номуру / Номер заявки / Application number:".into(),
            number: self.application.clone(),
            with_photo: false,
            rows,
            authority: ministry(),
            issued_at: self.issued_at.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sheet::render;

    /// The text poppler extracts from a PDF.
    fn text_of(pdf: &[u8]) -> String {
        let dir = std::env::temp_dir().join(format!("ework-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{}.pdf", pdf.len()));
        std::fs::write(&path, pdf).unwrap();
        let out = std::process::Command::new("pdftotext")
            .arg(&path)
            .arg("-")
            .output()
            .expect("pdftotext runs (poppler-utils; ./localstack/test.sh installs it)");
        let _ = std::fs::remove_file(&path);
        String::from_utf8(out.stdout).unwrap()
    }

    /// Renders `sheet` with a QR code signed for `id` over `fields`, rasterises the page
    /// with poppler, reads the code back with rxing and checks its signature offline
    /// with the published key; the PDF.
    fn printed_and_read_back(sheet: &crate::sheet::Sheet, id: &str, fields: &str) -> Vec<u8> {
        use domain::printed::{DocumentSigner, Payload, fields_hash, public_key, verify_with};
        let signer = DocumentSigner::from_seed([42; 32]);
        let payload = Payload {
            id: id.to_owned(),
            version: 1,
            hash: fields_hash(fields),
        };
        let url = format!("https://e.migration.kg/verify?d={}", signer.sign(&payload));
        let pdf = render(sheet, None, &url).unwrap();
        assert!(pdf.len() < 80 * 1024, "{} bytes", pdf.len());
        let dir = std::env::temp_dir().join(format!("ework-{id}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("page.pdf"), &pdf).unwrap();
        let status = std::process::Command::new("pdftoppm")
            .args(["-r", "150", "-png", "-singlefile"])
            .arg(dir.join("page.pdf"))
            .arg(dir.join("page"))
            .status()
            .expect("pdftoppm runs (poppler-utils; ./localstack/test.sh installs it)");
        assert!(status.success());
        if let Ok(keep) = std::env::var("KEEP_PAGE") {
            std::fs::copy(dir.join("page.png"), format!("{keep}-{id}.png")).unwrap();
        }
        let page = image::open(dir.join("page.png")).unwrap().to_luma8();
        let _ = std::fs::remove_dir_all(&dir);
        let (width, height) = page.dimensions();
        let read = rxing::helpers::detect_in_luma(
            page.into_raw(),
            width,
            height,
            Some(rxing::BarcodeFormat::QR_CODE),
        )
        .expect("the QR code reads");
        assert_eq!(read.getText(), url);
        let key = public_key(&signer.public_key()).unwrap();
        let signed = url.split("?d=").nth(1).unwrap();
        assert_eq!(verify_with(&key, signed), Some(payload));
        pdf
    }

    #[test]
    fn the_work_permit_renders_its_labels_in_three_languages() {
        let permit = WorkPermit {
            number: "P-12345678".into(),
            full_name: "KARIMOV RUSTAM".into(),
            birth_date: "02.03.1988".into(),
            passport: "UZB FA1234567".into(),
            citizenship: "UZB".into(),
            valid_from: "01.12.2026".into(),
            valid_to: "30.11.2027".into(),
            position: "Welder".into(),
            organization: "Ala-Too Kurulush LLC".into(),
            organization_tax_id: "01234567891234".into(),
            work_region: "Bishkek".into(),
            issued_at: "23.11.2026 14:05".into(),
        };
        let pdf = printed_and_read_back(&permit.sheet(), "P12345678", &permit.fields());
        let text = text_of(&pdf);
        for label in [
            "ИШТӨӨГӨ УРУКСАТ",
            "РАЗРЕШЕНИЕ НА РАБОТУ",
            "WORK PERMIT",
            "Иштөө аймагы",
            "Страна происхождения (гражданство)",
            "Управление по вопросам миграции",
            "P-12345678",
            "Ala-Too Kurulush LLC",
        ] {
            assert!(text.contains(label), "{label:?} in {text}");
        }
        assert!(permit.fields().contains("Welder"));
    }

    #[test]
    fn the_nomad_card_prints_the_seed_wording() {
        let card = NomadCard {
            number: "N-48706216".into(),
            full_name: "PETROSYAN ANNA".into(),
            birth_date: "22.08.1998".into(),
            citizenship: "ARM".into(),
            passport: "AR1234567".into(),
            passport_issued: "10.01.2020".into(),
            passport_expires: "09.01.2030".into(),
            status_valid_until: "22.11.2027".into(),
            period_of_stay: "23.11.2026 — 22.11.2027".into(),
            issued_at: "23.11.2026 14:05".into(),
        };
        let text = text_of(&printed_and_read_back(
            &card.sheet(),
            "N48706216",
            &card.fields(),
        ));
        for label in [
            "САНАРИПТИК КӨЧМӨН",
            "ЦИФРОВОГО КОЧЕВНИКА",
            "DIGITAL NOMAD'S ELECTRONIC CARD",
            "Статустун колдонулуу мөөнөтү",
            "Validity of status",
            "N-48706216",
        ] {
            assert!(text.contains(label), "{label:?} in {text}");
        }
    }

    #[test]
    fn the_protocol_extract_lists_every_allocated_quota() {
        let extract = ProtocolExtract {
            application: "Q-12345678".into(),
            employer: "Ala-Too Kurulush LLC".into(),
            employer_tax_id: "01234567891234".into(),
            protocol_number: "17/2026".into(),
            decision_date: "20.11.2026".into(),
            allocations: vec![
                Allocation {
                    country: "UZB".into(),
                    position: "Welder".into(),
                    count: 5,
                },
                Allocation {
                    country: "TUR".into(),
                    position: "Engineer".into(),
                    count: 2,
                },
            ],
            issued_at: "23.11.2026 14:05".into(),
        };
        let text = text_of(&printed_and_read_back(
            &extract.sheet(),
            "Q12345678",
            &extract.fields(),
        ));
        for label in [
            "КОМИССИЯНЫН ПРОТОКОЛУНАН КӨЧҮРМӨ",
            "ВЫПИСКА ИЗ ПРОТОКОЛА КОМИССИИ",
            "EXTRACT FROM THE COMMISSION'S PROTOCOL",
            "UZB — Welder — 5",
            "TUR — Engineer — 2",
        ] {
            assert!(text.contains(label), "{label:?} in {text}");
        }
        assert!(extract.fields().ends_with("TUR/Engineer/2"));
    }
}
