//! Errors of the domain, each with a stable code and a message in ky, ru and en.
//! Long by nature: the catalogue of every code and its three messages is one table.

use serde::Serialize;

use crate::Lang;

macro_rules! codes {
    ($( $(#[$doc:meta])* $variant:ident = $code:literal { ky: $ky:literal, ru: $ru:literal, en: $en:literal } )*) => {
        /// A stable error code. Clients branch on `as_str()`; people read `message()`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Code {
            $( $(#[$doc])* $variant, )*
        }

        impl Code {
            /// Every code, for documentation and catalogue checks.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The code with this stable name, if there is one.
            pub fn parse(name: &str) -> Option<Code> {
                Code::ALL.iter().copied().find(|c| c.as_str() == name)
            }

            /// The stable machine-readable code.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }

            /// The human message in the caller's language.
            pub fn message(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $(
                        (Code::$variant, Lang::Ky) => $ky,
                        (Code::$variant, Lang::Ru) => $ru,
                        (Code::$variant, Lang::En) => $en,
                    )*
                }
            }
        }
    };
}

codes! {
    /// The body is not JSON of the expected shape.
    InvalidBody = "invalid_body" {
        ky: "Сурамдын мазмуну туура эмес. Маалыматтарды текшерип, кайра жөнөтүңүз.",
        ru: "Неверный формат запроса. Проверьте данные и отправьте ещё раз.",
        en: "The request body is malformed. Check the data and send it again."
    }
    /// One or more fields failed validation; `errors` lists them.
    InvalidFields = "invalid_fields" {
        ky: "Айрым талаалар туура эмес толтурулган.",
        ru: "Некоторые поля заполнены неверно.",
        en: "Some fields are not filled in correctly."
    }
    /// A required field is missing or empty.
    Required = "required" {
        ky: "Бул талааны толтуруу милдеттүү.",
        ru: "Это поле обязательно для заполнения.",
        en: "This field is required."
    }
    /// Not a valid email address.
    InvalidEmail = "invalid_email" {
        ky: "Электрондук почтанын дареги туура эмес.",
        ru: "Неверный адрес электронной почты.",
        en: "The email address is not valid."
    }
    /// Not a valid international phone number.
    InvalidPhone = "invalid_phone" {
        ky: "Телефон номери туура эмес. Номерди эл аралык форматта жазыңыз, мисалы +996700123456.",
        ru: "Неверный номер телефона. Укажите номер в международном формате, например +996700123456.",
        en: "The phone number is not valid. Enter it in international format, e.g. +996700123456."
    }
    /// Not a Kyrgyz mobile number of the form 996XXXXXXXXX.
    InvalidKyrgyzMobile = "invalid_kyrgyz_mobile" {
        ky: "Кыргызстандын мобилдик номерин 996XXXXXXXXX форматында жазыңыз.",
        ru: "Укажите мобильный номер Кыргызстана в формате 996XXXXXXXXX.",
        en: "Enter a Kyrgyz mobile number in the form 996XXXXXXXXX."
    }
    /// Not a valid e-work login.
    InvalidLogin = "invalid_login" {
        ky: "Логин 4–32 латын тамгасынан жана сандардан турушу керек.",
        ru: "Логин должен состоять из 4–32 латинских букв и цифр.",
        en: "The login must be 4 to 32 Latin letters and digits."
    }
    /// Not a name in Latin letters as in the passport.
    InvalidLatinName = "invalid_latin_name" {
        ky: "Паспорттогудай латын тамгалары менен жазыңыз.",
        ru: "Укажите латинскими буквами, как в паспорте.",
        en: "Enter it in Latin letters, as in the passport."
    }
    /// Free text that is too long or has control characters.
    InvalidText = "invalid_text" {
        ky: "Текст өтө узун же жараксыз белгилерди камтыйт.",
        ru: "Текст слишком длинный или содержит недопустимые символы.",
        en: "The text is too long or contains characters that are not allowed."
    }
    /// Not a valid 14-digit personal number.
    InvalidPersonalNumber = "invalid_personal_number" {
        ky: "Жеке идентификациялык номер (ПИН) 14 сандан турат жана туулган күндү камтыйт.",
        ru: "Персональный идентификационный номер (ПИН) состоит из 14 цифр и содержит дату рождения.",
        en: "The personal number (PIN) is 14 digits and contains the birth date."
    }
    /// The personal number carries another birth date.
    PersonalNumberMismatch = "personal_number_mismatch" {
        ky: "ПИНдеги туулган күн паспорттогу туулган күнгө дал келбейт.",
        ru: "Дата рождения в ПИН не совпадает с датой рождения в паспорте.",
        en: "The birth date in the personal number does not match the passport."
    }
    /// Not a 14-digit tax id.
    InvalidTaxId = "invalid_tax_id" {
        ky: "ИНН 14 сандан турушу керек.",
        ru: "ИНН должен состоять из 14 цифр.",
        en: "The tax id (INN) must be 14 digits."
    }
    /// Not a state registration number.
    InvalidRegistrationNumber = "invalid_registration_number" {
        ky: "Мамлекеттик каттоо номери туура эмес.",
        ru: "Неверный номер государственной регистрации.",
        en: "The state registration number is not valid."
    }
    /// Not a three-letter country code.
    InvalidCountry = "invalid_country" {
        ky: "Өлкөнү үч тамгалуу код менен көрсөтүңүз (мисалы, KGZ).",
        ru: "Укажите страну трёхбуквенным кодом (например, KGZ).",
        en: "Give the country as a three-letter code (e.g. KGZ)."
    }
    /// Not a document number.
    InvalidDocumentNumber = "invalid_document_number" {
        ky: "Документтин номери 5–20 латын тамгасынан жана сандардан турат.",
        ru: "Номер документа — от 5 до 20 латинских букв и цифр.",
        en: "The document number is 5 to 20 Latin letters and digits."
    }
    /// Not an upload id.
    InvalidUploadId = "invalid_upload_id" {
        ky: "Жүктөлгөн файлдын идентификатору туура эмес.",
        ru: "Неверный идентификатор загруженного файла.",
        en: "The upload id is not valid."
    }
    /// Sex is M, F or X.
    InvalidSex = "invalid_sex" {
        ky: "Жынысын паспорттогудай көрсөтүңүз: M, F же X (көрсөтүлбөгөн).",
        ru: "Укажите пол как в паспорте: M, F или X (не указан).",
        en: "Give the sex as in the passport: M, F or X (unspecified)."
    }
    /// SMS sign-in codes need a phone a code has proven.
    PhoneNotVerified = "phone_not_verified" {
        ky: "Адегенде телефон номериңизди ырастаңыз: ага жөнөтүлгөн кодду киргизиңиз.",
        ru: "Сначала подтвердите номер телефона: введите код, отправленный на него.",
        en: "Confirm your phone number first: enter the code sent to it."
    }
    /// Not one of the document types.
    InvalidDocumentType = "invalid_document_type" {
        ky: "Документтин түрүн тандаңыз: ordinary_passport, diplomatic_passport, service_passport, id_card же travel_document.",
        ru: "Выберите тип документа: ordinary_passport, diplomatic_passport, service_passport, id_card или travel_document.",
        en: "Choose the document type: ordinary_passport, diplomatic_passport, service_passport, id_card or travel_document."
    }
    /// Not a YYYY-MM-DD date.
    InvalidDate = "invalid_date" {
        ky: "Күндү ЖЖЖЖ-АА-КК форматында жазыңыз.",
        ru: "Укажите дату в формате ГГГГ-ММ-ДД.",
        en: "Enter the date as YYYY-MM-DD."
    }
    /// A birth date that is not in the past.
    BirthDateNotInPast = "birth_date_not_in_past" {
        ky: "Туулган күн өткөн чакта болушу керек.",
        ru: "Дата рождения должна быть в прошлом.",
        en: "The birth date must be in the past."
    }
    /// An issue date in the future or before birth.
    InvalidIssueDate = "invalid_issue_date" {
        ky: "Берилген күнү келечекте же туулган күндөн мурун боло албайт.",
        ru: "Дата выдачи не может быть в будущем или раньше даты рождения.",
        en: "The issue date cannot be in the future or before the birth date."
    }
    /// An expiry date not after the issue date.
    ExpiryBeforeIssue = "expiry_before_issue" {
        ky: "Жарактуулук мөөнөтү берилген күндөн кийин болушу керек.",
        ru: "Срок действия должен быть позже даты выдачи.",
        en: "The expiry date must be after the issue date."
    }
    /// The document has expired.
    DocumentExpired = "document_expired" {
        ky: "Документтин жарактуулук мөөнөтү бүткөн.",
        ru: "Срок действия документа истёк.",
        en: "The document has expired."
    }
    /// A Kyrgyz citizen host registers with a Kyrgyz passport.
    CitizenNeedsKyrgyzPassport = "citizen_needs_kyrgyz_passport" {
        ky: "Кыргыз Республикасынын жараны Кыргызстандын паспорту менен катталат.",
        ru: "Гражданин Кыргызской Республики регистрируется по паспорту Кыргызстана.",
        en: "A Kyrgyz citizen registers with a Kyrgyz passport."
    }
    /// A foreign owner registers with a foreign passport.
    ForeignOwnerNeedsForeignPassport = "foreign_owner_needs_foreign_passport" {
        ky: "Чет элдик менчик ээси чет өлкөнүн паспорту менен катталат.",
        ru: "Иностранный собственник регистрируется по иностранному паспорту.",
        en: "A foreign owner registers with a foreign passport."
    }
    /// Coordinates out of range or only one of them.
    InvalidLocation = "invalid_location" {
        ky: "Картадагы координаттар туура эмес.",
        ru: "Неверные координаты на карте.",
        en: "The map coordinates are not valid."
    }
    /// More items than allowed.
    TooMany = "too_many" {
        ky: "Өтө көп маанилер көрсөтүлгөн.",
        ru: "Указано слишком много значений.",
        en: "Too many values are given."
    }
    /// A field this account type does not have.
    NotExpected = "not_expected" {
        ky: "Бул талаа бул кабинет түрү үчүн толтурулбайт.",
        ru: "Это поле не заполняется для данного типа кабинета.",
        en: "This field does not apply to this account type."
    }
    /// Not one of the account types.
    InvalidAccountType = "invalid_account_type" {
        ky: "Мындай кабинет түрү жок.",
        ru: "Такого типа кабинета нет.",
        en: "There is no such account type."
    }
    /// Legal-entity hosts are created by an operator.
    NotSelfRegistered = "not_self_registered" {
        ky: "Юридикалык жактын кабинетин каттоо оператору ачат; катыңызды жана документтериңизди тапшырыңыз.",
        ru: "Кабинет юридического лица открывает оператор регистрации; подайте письмо и документы.",
        en: "A legal entity's account is opened by a registration operator; submit your letter and documents."
    }
    /// Consent to the user agreement and privacy policy is missing.
    ConsentRequired = "consent_required" {
        ky: "Колдонуучу келишимине жана купуялуулук саясатына макулдук бериңиз.",
        ru: "Подтвердите согласие с пользовательским соглашением и политикой конфиденциальности.",
        en: "Accept the user agreement and the privacy policy."
    }
    /// The anti-bot answer is missing.
    ChallengeRequired = "challenge_required" {
        ky: "Сүрөттөгү белгилерди жазыңыз.",
        ru: "Введите символы с картинки.",
        en: "Type the characters from the picture."
    }
    /// The anti-bot answer is wrong, expired or already used.
    ChallengeFailed = "challenge_failed" {
        ky: "Сүрөттөгү белгилер туура эмес же мөөнөтү өттү. Жаңы сүрөт алып, кайра аракет кылыңыз.",
        ru: "Символы с картинки введены неверно или время истекло. Получите новую картинку и попробуйте ещё раз.",
        en: "The characters from the picture are wrong or expired. Get a new picture and try again."
    }
    /// Not ky, ru or en.
    InvalidLang = "invalid_lang" {
        ky: "Тил ky, ru же en болушу керек.",
        ru: "Язык должен быть ky, ru или en.",
        en: "The language must be ky, ru or en."
    }
    /// The password misses a character class or is too short.
    WeakPassword = "weak_password" {
        ky: "Сырсөз кеминде 8 белгиден турушу жана кичине тамга, баш тамга, сан жана атайын белгини камтышы керек.",
        ru: "Пароль должен содержать не менее 8 символов, строчную и заглавную буквы, цифру и специальный символ.",
        en: "The password needs at least 8 characters with a lower-case letter, an upper-case letter, a digit and a symbol."
    }
    /// The password is built on a common one.
    CommonPassword = "common_password" {
        ky: "Бул сырсөз өтө кеңири колдонулат. Башкасын ойлоп табыңыз.",
        ru: "Этот пароль слишком распространён. Придумайте другой.",
        en: "This password is too common. Choose another one."
    }
    /// The two passwords differ.
    PasswordsDiffer = "passwords_differ" {
        ky: "Сырсөздөр дал келбейт.",
        ru: "Пароли не совпадают.",
        en: "The passwords do not match."
    }
    /// Wrong login or password (never says which).
    InvalidCredentials = "invalid_credentials" {
        ky: "Логин же сырсөз туура эмес.",
        ru: "Неверный логин или пароль.",
        en: "The login or password is wrong."
    }
    /// The chosen e-work login belongs to another account.
    LoginTaken = "login_taken" {
        ky: "Бул логин бош эмес. Башкасын тандаңыз.",
        ru: "Этот логин уже занят. Выберите другой.",
        en: "This login is taken. Choose another one."
    }
    /// The code is wrong, expired or already used.
    InvalidCode = "invalid_code" {
        ky: "Код туура эмес же мөөнөтү өттү.",
        ru: "Код неверный или срок его действия истёк.",
        en: "The code is wrong or has expired."
    }
    /// Too many wrong codes; a new one must be requested.
    CodeAttemptsExceeded = "code_attempts_exceeded" {
        ky: "Код өтө көп жолу туура эмес киргизилди. Жаңы код сураңыз.",
        ru: "Код введён неверно слишком много раз. Запросите новый код.",
        en: "The code was entered wrongly too many times. Request a new code."
    }
    /// A new code was asked for too soon after the last one.
    ResendTooSoon = "resend_too_soon" {
        ky: "Жаңы кодду бир мүнөттөн кийин сурасаңыз болот.",
        ru: "Новый код можно запросить через минуту.",
        en: "You can request a new code after a minute."
    }
    /// The link is wrong, expired or already used.
    InvalidLink = "invalid_link" {
        ky: "Шилтеме жараксыз же мөөнөтү өттү.",
        ru: "Ссылка недействительна или срок её действия истёк.",
        en: "The link is not valid or has expired."
    }
    /// e-work accounts wait for a labour operator before signing in.
    AwaitingActivation = "awaiting_activation" {
        ky: "Кабинетиңиз Эмгек министрлигинин оператору тарабынан активдештирилишин күтүүдө.",
        ru: "Ваш кабинет ожидает активации оператором Министерства труда.",
        en: "Your account is waiting for activation by a Ministry of Labour operator."
    }
    /// Signing in too often with a wrong password; wait `Retry-After` seconds.
    TooManyAttempts = "too_many_attempts" {
        ky: "Өтө көп ийгиликсиз аракет болду. Бир аздан кийин кайра аракет кылыңыз.",
        ru: "Слишком много неудачных попыток. Повторите попытку позже.",
        en: "Too many failed attempts. Please try again later."
    }
    /// The account's email or code is not yet confirmed.
    AccountNotConfirmed = "account_not_confirmed" {
        ky: "Кабинет али ырастала элек. Электрондук почтаңыздагы шилтемени же кодду колдонуңуз.",
        ru: "Кабинет ещё не подтверждён. Воспользуйтесь ссылкой или кодом из письма.",
        en: "The account is not confirmed yet. Use the link or code we sent you."
    }
    /// A labour operator refused the account.
    AccountRefused = "account_refused" {
        ky: "Кабинетти активдештирүүдөн баш тартылды. Себеби электрондук почтаңызга жөнөтүлдү.",
        ru: "В активации кабинета отказано. Причина отправлена на вашу электронную почту.",
        en: "Activation of the account was refused. The reason was sent to your email."
    }
    /// No valid session: missing, expired or ended.
    Unauthenticated = "unauthenticated" {
        ky: "Кабинетке кириңиз.",
        ru: "Войдите в личный кабинет.",
        en: "Please sign in."
    }
    /// The route is for operators of an authority.
    OperatorOnly = "operator_only" {
        ky: "Бул аракет оператор үчүн гана жеткиликтүү.",
        ru: "Это действие доступно только оператору.",
        en: "Only an operator can do this."
    }
    /// The route is for administrators.
    AdminOnly = "admin_only" {
        ky: "Бул аракет администратор үчүн гана жеткиликтүү.",
        ru: "Это действие доступно только администратору.",
        en: "Only an administrator can do this."
    }
    /// No account with this id that the caller may see.
    AccountNotFound = "account_not_found" {
        ky: "Мындай кабинет табылган жок.",
        ru: "Такой личный кабинет не найден.",
        en: "There is no such account."
    }
    /// The account is not waiting for activation (already decided, or not confirmed).
    NotAwaitingActivation = "not_awaiting_activation" {
        ky: "Кабинет активдештирүүнү күтпөйт: ал боюнча чечим кабыл алынган же почта ырастала элек.",
        ru: "Личный кабинет не ожидает активации: решение уже принято или почта не подтверждена.",
        en: "The account is not waiting for activation: it has been decided or its email is not confirmed."
    }
    /// Not one of the operator roles.
    InvalidRole = "invalid_role" {
        ky: "Ролу `labour_operator` же `registration_operator` болушу керек.",
        ru: "Роль должна быть `labour_operator` или `registration_operator`.",
        en: "The role must be `labour_operator` or `registration_operator`."
    }
    /// Another account already uses this email or login (operator-made accounts).
    AlreadyRegistered = "already_registered" {
        ky: "Бул электрондук почта же логин менен кабинет мурунтан бар.",
        ru: "Личный кабинет с этой электронной почтой или логином уже существует.",
        en: "An account with this email or login already exists."
    }
    /// No change request with this id that the caller may see.
    ChangeRequestNotFound = "change_request_not_found" {
        ky: "Мындай өзгөртүү өтүнмөсү табылган жок.",
        ru: "Такая заявка на изменение не найдена.",
        en: "There is no such change request."
    }
    /// A change request of the account already waits for an operator.
    ChangeRequestPending = "change_request_pending" {
        ky: "Сиздин мурунку өзгөртүү өтүнмөңүз дагы каралууда.",
        ru: "Ваша предыдущая заявка на изменение ещё рассматривается.",
        en: "Your previous change request is still being reviewed."
    }
    /// The change request has already been decided.
    AlreadyDecided = "already_decided" {
        ky: "Бул өтүнмө боюнча чечим мурунтан кабыл алынган.",
        ru: "По этой заявке решение уже принято.",
        en: "This request has already been decided."
    }
    /// The change request changes nothing.
    NoChanges = "no_changes" {
        ky: "Өтүнмөдө өзгөртүү жок: маалыматтар азыркыдай эле.",
        ru: "В заявке нет изменений: данные совпадают с текущими.",
        en: "The request changes nothing: the data are the same as now."
    }
    /// The account's data changed after the request was made; it must be made again.
    ChangeRequestStale = "change_request_stale" {
        ky: "Өтүнмө берилгенден кийин кабинеттин маалыматтары өзгөргөн. Өтүнмөнү кайра бериңиз.",
        ru: "Данные кабинета изменились после подачи заявки. Подайте заявку заново.",
        en: "The account's data changed after the request was made. Make the request again."
    }
    /// The sign-in waiting for a second factor is unknown, used or expired.
    SignInExpired = "sign_in_expired" {
        ky: "Кирүү мөөнөтү өттү. Логин жана сырсөз менен кайра кириңиз.",
        ru: "Срок входа истёк. Войдите снова с логином и паролем.",
        en: "The sign-in has expired. Sign in again with your login and password."
    }
    /// No authenticator enrolment to confirm.
    NoEnrolment = "no_enrolment" {
        ky: "Ырастай турган аутентификатор жок. Адегенде аны кошуңуз.",
        ru: "Нет аутентификатора для подтверждения. Сначала добавьте его.",
        en: "There is no authenticator to confirm. Add one first."
    }
    /// The account has no second factor to turn off.
    NoSecondFactor = "no_second_factor" {
        ky: "Экинчи фактор күйгүзүлгөн эмес.",
        ru: "Второй фактор не включён.",
        en: "No second factor is turned on."
    }
    /// No phone change waits for a code.
    NoPhoneChange = "no_phone_change" {
        ky: "Ырастай турган жаңы телефон номери жок.",
        ru: "Нет нового номера телефона для подтверждения.",
        en: "There is no new phone number to confirm."
    }
    /// Not one of the document kinds.
    InvalidDocumentKind = "invalid_document_kind" {
        ky: "Документтин түрү туура эмес.",
        ru: "Неверный вид документа.",
        en: "The document kind is not valid."
    }
    /// The file type is not accepted for this kind of document.
    UnsupportedDocumentType = "unsupported_document_type" {
        ky: "Бул документ үчүн мындай файл түрү кабыл алынбайт. JPEG, PNG же PDF жүктөңүз.",
        ru: "Такой тип файла не принимается для этого документа. Загрузите JPEG, PNG или PDF.",
        en: "This file type is not accepted for this document. Upload a JPEG, PNG or PDF."
    }
    /// The declared size is zero or above the kind's limit.
    FileTooLarge = "file_too_large" {
        ky: "Файлдын көлөмү уруксат берилгенден чоң же нөлгө барабар.",
        ru: "Размер файла больше допустимого или равен нулю.",
        en: "The file is larger than allowed, or empty."
    }
    /// The document's check has not passed yet.
    DocumentNotChecked = "document_not_checked" {
        ky: "Документ али текшерилүүдө. Бир аздан кийин кайра аракет кылыңыз.",
        ru: "Документ ещё проверяется. Повторите попытку чуть позже.",
        en: "The document is still being checked. Try again in a moment."
    }
    /// The document is part of the account's data or of a waiting change request.
    DocumentInUse = "document_in_use" {
        ky: "Бул документ кабинеттин маалыматтарында колдонулат. Аны өзгөртүү үчүн өзгөртүү өтүнмөсүн бериңиз.",
        ru: "Этот документ используется в данных кабинета. Чтобы заменить его, подайте заявку на изменение.",
        en: "This document is part of your account's data. To replace it, make a change request."
    }
    /// The document's check refused it; upload another.
    DocumentRejected = "document_rejected" {
        ky: "Бул документ текшерүүдөн өткөн жок. Башкасын жүктөңүз.",
        ru: "Этот документ не прошёл проверку. Загрузите другой.",
        en: "This document did not pass its check. Upload another one."
    }
    /// The PDF cannot be opened: damaged, or protected by a password.
    PdfUnreadable = "pdf_unreadable" {
        ky: "PDF файлды ачуу мүмкүн эмес: ал бузулган же сырсөз менен корголгон. Сырсөзсүз PDF же сүрөт жүктөңүз.",
        ru: "PDF-файл не открывается: он повреждён или защищён паролем. Загрузите PDF без пароля или изображение.",
        en: "The PDF cannot be opened: it is damaged or password-protected. Upload a PDF without a password, or an image."
    }
    /// The PDF has more pages than a document may have.
    TooManyPages = "too_many_pages" {
        ky: "PDF файлда беттер өтө көп (20дан ашпашы керек). Керектүү беттерди гана жүктөңүз.",
        ru: "В PDF слишком много страниц (не более 20). Загрузите только нужные страницы.",
        en: "The PDF has too many pages (at most 20). Upload only the pages needed."
    }
    /// No machine-readable zone was found on the scan.
    MrzNotFound = "mrz_not_found" {
        ky: "Сканда машина окуй турган зона (MRZ) табылган жок. Паспорттун маалымат барагын толугу менен, ачык жана тегиз сканерлеңиз же сүрөткө тартыңыз.",
        ru: "На скане не найдена машиночитаемая зона (MRZ). Отсканируйте или сфотографируйте страницу с данными паспорта целиком, чётко и ровно.",
        en: "No machine-readable zone (MRZ) was found on the scan. Scan or photograph the whole data page of the passport, sharp and straight."
    }
    /// A zone was found but its characters could not be read with confidence.
    MrzIllegible = "mrz_illegible" {
        ky: "Машина окуй турган зонаны (MRZ) окуу мүмкүн болгон жок. Жаркылсыз, ачык сүрөт жүктөңүз.",
        ru: "Не удалось прочитать машиночитаемую зону (MRZ). Загрузите более чёткое изображение без бликов.",
        en: "The machine-readable zone (MRZ) could not be read. Upload a sharper image without glare."
    }
    /// The document is not a passport or ID scan, so it has no zone to read.
    NotAPassportScan = "not_a_passport_scan" {
        ky: "Бул документ паспорттун скани эмес.",
        ru: "Этот документ не является сканом паспорта.",
        en: "This document is not a passport scan."
    }
    /// Not a property identification code (digit groups joined by dashes).
    InvalidPropertyCode = "invalid_property_code" {
        ky: "Кыймылсыз мүлктүн идентификациялык коду туура эмес. Аны техникалык паспорттогудай жазыңыз, мисалы 1-02-03-0004-0005.",
        ru: "Неверный идентификационный код недвижимого имущества. Укажите его как в техническом паспорте, например 1-02-03-0004-0005.",
        en: "The property identification code is not valid. Enter it as the technical passport shows it, e.g. 1-02-03-0004-0005."
    }
    /// The property registry has no property with this code.
    PropertyNotFound = "property_not_found" {
        ky: "Мындай коду бар кыймылсыз мүлк реестрде табылган жок.",
        ru: "Недвижимое имущество с таким кодом не найдено в реестре.",
        en: "The property registry has no property with this code."
    }
    /// The registry does not list the caller as an owner of the property.
    NotPropertyOwner = "not_property_owner" {
        ky: "Реестр боюнча сиз бул кыймылсыз мүлктүн ээси эмессиз.",
        ru: "По данным реестра вы не являетесь собственником этого недвижимого имущества.",
        en: "The registry does not list you as an owner of this property."
    }
    /// The housing is already in the host's list.
    HousingAlreadyAdded = "housing_already_added" {
        ky: "Бул турак жай сиздин тизмеңизде мурунтан бар.",
        ru: "Это жильё уже есть в вашем списке.",
        en: "This housing is already in your list."
    }
    /// The housing is not in the host's list.
    HousingNotFound = "housing_not_found" {
        ky: "Бул турак жай сиздин тизмеңизде жок. Адегенде аны «Турак жай фонду» бөлүмүнө кошуңуз.",
        ru: "Этого жилья нет в вашем списке. Сначала добавьте его в разделе «Жилой фонд».",
        en: "This housing is not in your list. Add it under Housing first."
    }
    /// The date of entry is in the future.
    EntryDateInFuture = "entry_date_in_future" {
        ky: "Өлкөгө кирген күн келечекте боло албайт.",
        ru: "Дата въезда не может быть в будущем.",
        en: "The date of entry cannot be in the future."
    }
    /// The registration would start further in the past than the law allows.
    StayStartTooEarly = "stay_start_too_early" {
        ky: "Каттоонун башталган күнү мыйзам уруксат бергенден мурда.",
        ru: "Дата начала регистрации раньше, чем допускает закон.",
        en: "The registration cannot start that far in the past."
    }
    /// The registration would start before the foreigner entered the country.
    StayBeforeEntry = "stay_before_entry" {
        ky: "Каттоо өлкөгө кирген күнгө чейин баштала албайт.",
        ru: "Регистрация не может начинаться раньше даты въезда.",
        en: "The registration cannot start before the date of entry."
    }
    /// The registration would end before it starts.
    StayEndBeforeStart = "stay_end_before_start" {
        ky: "Каттоонун аяктаган күнү башталган күнүнөн кийин болушу керек.",
        ru: "Дата окончания регистрации должна быть позже даты начала.",
        en: "The end date must be after the start date."
    }
    /// The registration would outlast the passport.
    StayBeyondPassport = "stay_beyond_passport" {
        ky: "Каттоо паспорттун жарактуулук мөөнөтүнөн ашпашы керек.",
        ru: "Срок регистрации не может превышать срок действия паспорта.",
        en: "The registration cannot last beyond the passport's expiry date."
    }
    /// The same passport holds a registration at another address for these dates.
    StayOverlaps = "stay_overlaps" {
        ky: "Бул паспорт ушул мезгилдин айрым күндөрүнө мурунтан катталган.",
        ru: "По этому паспорту на эти даты уже есть регистрация.",
        en: "This passport already has a registration for some of these dates."
    }
    /// Not one of the purposes of stay.
    InvalidPurpose = "invalid_purpose" {
        ky: "Каттоонун максатын тизмеден тандаңыз.",
        ru: "Выберите цель регистрации из списка.",
        en: "Choose the purpose of stay from the list."
    }
    /// The action PIN is wrong.
    WrongPin = "wrong_pin" {
        ky: "ПИН-код туура эмес.",
        ru: "Неверный ПИН-код.",
        en: "The PIN is wrong."
    }
    /// No registration with this number for the caller.
    RegistrationNotFound = "registration_not_found" {
        ky: "Каттоо табылган жок.",
        ru: "Регистрация не найдена.",
        en: "No such registration."
    }
    /// The registration can no longer be cancelled.
    RegistrationNotCancellable = "registration_not_cancellable" {
        ky: "Бул каттоону жокко чыгарууга болбойт: ал ырасталган же жабылган.",
        ru: "Эту регистрацию нельзя отменить: она уже подтверждена или закрыта.",
        en: "This registration can no longer be cancelled: it is confirmed or closed."
    }
    /// The registration is not waiting for an operator's decision.
    RegistrationNotAwaitingDecision = "registration_not_awaiting_decision" {
        ky: "Бул каттоо чечимди күтүп турган жок: ал төлөнө элек же чечим кабыл алынган.",
        ru: "Эта регистрация не ожидает решения: она ещё не оплачена или решение уже принято.",
        en: "This registration is not waiting for a decision: it is unpaid or already decided."
    }
    /// The payment does not match the fee due.
    PaymentMismatch = "payment_mismatch" {
        ky: "Төлөмдүн суммасы же валютасы талап кылынган төлөмгө дал келбейт.",
        ru: "Сумма или валюта платежа не совпадает с суммой к оплате.",
        en: "The payment's amount or currency does not match the fee due."
    }
    /// Too many requests from this source; try again after the wait.
    RateLimited = "rate_limited" {
        ky: "Өтө көп суроо-талап. Бир аздан кийин кайра аракет кылыңыз.",
        ru: "Слишком много запросов. Повторите попытку немного позже.",
        en: "Too many requests. Please try again a little later."
    }
    /// A webhook whose signature or timestamp does not hold.
    InvalidSignature = "invalid_signature" {
        ky: "Кол тамга туура эмес же мөөнөтү өтүп кеткен.",
        ru: "Подпись неверна или устарела.",
        en: "The signature is invalid or too old."
    }
    /// No payment order with this number for the caller.
    OrderNotFound = "order_not_found" {
        ky: "Төлөм буйругу табылган жок.",
        ru: "Платёжное поручение не найдено.",
        en: "No such payment order."
    }
    /// The application has no fee due now.
    NotPayable = "not_payable" {
        ky: "Бул арыз боюнча азыр төлөм талап кылынбайт.",
        ru: "По этой заявке сейчас нечего оплачивать.",
        en: "Nothing is due for this application now."
    }
    /// Payment flag: paid after the order's payment session ended.
    PaidAfterExpiry = "paid_after_expiry" {
        ky: "Төлөм буйруктун мөөнөтү бүткөндөн кийин келди; аны кайтаруу керек.",
        ru: "Оплата поступила после истечения срока заказа; её нужно вернуть.",
        en: "The payment came after the order expired; it is to be refunded."
    }
    /// Payment flag: paid for an application that was cancelled meanwhile.
    PaidAfterCancellation = "paid_after_cancellation" {
        ky: "Төлөм жокко чыгарылган арыз үчүн келди; аны кайтаруу керек.",
        ru: "Оплата поступила за отменённую заявку; её нужно вернуть.",
        en: "The payment came for a cancelled application; it is to be refunded."
    }
    /// A value of a list filter or parameter that is not one the list knows.
    InvalidValue = "invalid_value" {
        ky: "Бул маани туура эмес.",
        ru: "Недопустимое значение.",
        en: "This value is not valid."
    }
    /// The document cannot be printed in the application's present status.
    NotPrintable = "not_printable" {
        ky: "Бул документти азыр басып чыгарууга болбойт: арыз жарактуу абалда эмес.",
        ru: "Этот документ сейчас нельзя распечатать: заявка не в действующем статусе.",
        en: "This document cannot be printed now: the application is not in a valid status."
    }
    /// Review flag: a check digit of the passport's zone fails.
    MrzCheckFailed = "mrz_check_failed" {
        ky: "Паспорттун машина окуй турган зонасынын текшерүү сандары дал келбейт.",
        ru: "Контрольные цифры машиносчитываемой зоны паспорта не сходятся.",
        en: "A check digit of the passport's machine-readable zone fails."
    }
    /// Review flag: every check digit of the zone holds, but a field of it was read too
    /// uncertainly to rely on (no check digit covers the names).
    MrzUntrusted = "mrz_untrusted" {
        ky: "Паспорттун машина окуй турган зонасынын бул талаасы так окулган жок: оператор текшериши керек.",
        ru: "Это поле машиносчитываемой зоны паспорта прочитано неуверенно: его должен проверить оператор.",
        en: "This field of the passport's machine-readable zone was not read with certainty: an operator must check it."
    }
    /// Review flag: a typed field differs from the passport's zone.
    MrzMismatch = "mrz_mismatch" {
        ky: "Киргизилген маалымат паспорттун машина окуй турган зонасына дал келбейт.",
        ru: "Введённые данные не совпадают с машиносчитываемой зоной паспорта.",
        en: "The typed data differ from the passport's machine-readable zone."
    }
    /// Review flag: the photo passed with advice the operator should see.
    PhotoWarning = "photo_warning" {
        ky: "Сүрөт текшерүүдөн эскертүү менен өттү.",
        ru: "Фотография прошла проверку с замечаниями.",
        en: "The photo passed its check with warnings."
    }
    /// The photo is too dark.
    PhotoTooDark = "photo_too_dark" {
        ky: "Фото өтө караңгы. Жарык жерде кайра тартыңыз.",
        ru: "Фото слишком тёмное. Переснимите при хорошем освещении.",
        en: "The photo is too dark. Take it again in good light."
    }
    /// The photo is washed out.
    PhotoTooBright = "photo_too_bright" {
        ky: "Фото өтө жарык. Түз жарыкты же жаркылды колдонбой кайра тартыңыз.",
        ru: "Фото слишком светлое. Переснимите без прямого света и вспышки.",
        en: "The photo is too bright. Take it again without direct light or flash."
    }
    /// The photo is blurred.
    PhotoBlurred = "photo_blurred" {
        ky: "Фото бүдөмүк. Камераны кыймылдатпай, фокусту текшерип кайра тартыңыз.",
        ru: "Фото размыто. Переснимите, не двигая камеру и проверив фокус.",
        en: "The photo is blurred. Take it again holding the camera still and in focus."
    }
    /// The background is not plain and light.
    BackgroundNotPlain = "background_not_plain" {
        ky: "Фон ак же ачык түстөгү бир өңчөй болушу керек.",
        ru: "Фон должен быть однотонным, белым или светлым.",
        en: "The background must be plain white or light."
    }
    /// The photo is not in colour.
    PhotoNotInColour = "photo_not_in_colour" {
        ky: "Фото түстүү болушу керек.",
        ru: "Фото должно быть цветным.",
        en: "The photo must be in colour."
    }
    /// No face was found on the photo.
    FaceNotFound = "face_not_found" {
        ky: "Сүрөттө бет табылган жок. Камерага түз карап, бетиңизди ачык кылып кайра тартыңыз.",
        ru: "На фото не найдено лицо. Переснимите, глядя прямо в камеру, с открытым лицом.",
        en: "No face was found on the photo. Take it again looking straight at the camera with your face uncovered."
    }
    /// More than one face is on the photo.
    SeveralFaces = "several_faces" {
        ky: "Сүрөттө бир гана адам болушу керек.",
        ru: "На фото должен быть только один человек.",
        en: "Only one person may be on the photo."
    }
    /// The face is not in the middle of the photo.
    FaceNotCentred = "face_not_centred" {
        ky: "Бет сүрөттүн ортосунда болушу керек. Камераны бетиңиздин деңгээлине коюп, ортого туруңуз.",
        ru: "Лицо должно быть в центре фото. Держите камеру на уровне лица и встаньте по центру.",
        en: "The face must be in the middle of the photo. Hold the camera level with your face and stand in the centre."
    }
    /// The face takes too little of the photo.
    FaceTooSmall = "face_too_small" {
        ky: "Бет өтө кичине. Камерага жакыныраак туруңуз.",
        ru: "Лицо слишком мелкое. Встаньте ближе к камере.",
        en: "The face is too small. Stand closer to the camera."
    }
    /// The face takes too much of the photo, or the shoulders are cut off.
    FaceTooLarge = "face_too_large" {
        ky: "Бет өтө чоң же ийиндер көрүнбөйт. Камерадан алысыраак туруңуз.",
        ru: "Лицо слишком крупное или не видны плечи. Встаньте дальше от камеры.",
        en: "The face is too large or the shoulders are not visible. Stand further from the camera."
    }
    /// The image has more pixels than we open (a possible decompression bomb).
    ImageTooLarge = "image_too_large" {
        ky: "Сүрөттүн өлчөмү өтө чоң. Кичирээк сүрөт жүктөңүз.",
        ru: "Изображение слишком большое. Загрузите изображение меньшего размера.",
        en: "The image is too large. Upload a smaller one."
    }
    /// Too few pixels: a photo under 600 × 800, a scan under 1000 on its long side.
    ResolutionTooLow = "resolution_too_low" {
        ky: "Сүрөттүн чечилиши өтө төмөн. Фото кеминде 600×800 пиксел, скан узун жагы боюнча кеминде 1000 пиксел болушу керек.",
        ru: "Слишком низкое разрешение. Фото — не менее 600×800 пикселей, скан — не менее 1000 пикселей по длинной стороне.",
        en: "The resolution is too low. A photo needs at least 600×800 pixels, a scan at least 1000 pixels on its long side."
    }
    /// A photo that is not a 3:4 portrait.
    WrongAspectRatio = "wrong_aspect_ratio" {
        ky: "Фото тик турган 3×4 форматында болушу керек.",
        ru: "Фото должно быть вертикальным, в пропорции 3×4.",
        en: "The photo must be an upright 3×4 portrait."
    }
    /// No document with this id that the caller may see.
    DocumentNotFound = "document_not_found" {
        ky: "Мындай документ табылган жок.",
        ru: "Такой документ не найден.",
        en: "There is no such document."
    }
    /// A registration draft's token is missing, unknown, used or past its hour.
    DraftExpired = "draft_expired" {
        ky: "Каттоо сеансы бүттү. Документтерди кайра жүктөп, каттоону башынан баштаңыз.",
        ru: "Сеанс регистрации истёк. Начните регистрацию заново и загрузите документы ещё раз.",
        en: "The registration session has expired. Start the registration again and upload the documents again."
    }
    /// A registration draft asked for more uploads than it may.
    TooManyUploads = "too_many_uploads" {
        ky: "Бул каттоо үчүн жүктөөлөрдүн саны чегинен ашты.",
        ru: "Для этой регистрации загружено слишком много файлов.",
        en: "This registration has asked for too many uploads."
    }
    /// The route is for another kind of account.
    NotForAccountType = "not_for_account_type" {
        ky: "Бул аракет сиздин кабинет түрүңүз үчүн жеткиликсиз.",
        ru: "Это действие недоступно для вашего типа кабинета.",
        en: "This action is not available for your type of account."
    }
    /// The body is not `application/json`.
    UnsupportedMediaType = "unsupported_media_type" {
        ky: "Сурам JSON форматында жөнөтүлүшү керек.",
        ru: "Запрос должен быть отправлен в формате JSON.",
        en: "The request must be sent as JSON."
    }
    /// The body is larger than the route accepts.
    PayloadTooLarge = "payload_too_large" {
        ky: "Сурам өтө чоң.",
        ru: "Запрос слишком большой.",
        en: "The request is too large."
    }
    /// No such route.
    RouteNotFound = "route_not_found" {
        ky: "Мындай дарек жок.",
        ru: "Такого адреса нет.",
        en: "There is no such address."
    }
    /// The route exists but not with this method.
    MethodNotAllowed = "method_not_allowed" {
        ky: "Бул дарекке мындай сурам жөнөтүүгө болбойт.",
        ru: "Этот метод запроса не поддерживается для данного адреса.",
        en: "This method is not allowed for this address."
    }
    /// Something failed on our side; the cause is in the logs under the request id.
    Internal = "internal" {
        ky: "Ички ката кетти. Бир аздан кийин кайра аракет кылыңыз.",
        ru: "Произошла внутренняя ошибка. Повторите попытку позже.",
        en: "Something went wrong on our side. Please try again later."
    }
    /// A service we depend on did not answer.
    Unavailable = "unavailable" {
        ky: "Кызмат убактылуу жеткиликсиз. Бир аздан кийин кайра аракет кылыңыз.",
        ru: "Сервис временно недоступен. Повторите попытку позже.",
        en: "The service is temporarily unavailable. Please try again later."
    }
    /// A queued notification that can never be sent (bad address, unknown template).
    InvalidNotification = "invalid_notification" {
        ky: "Билдирүүнү жөнөтүүгө мүмкүн эмес.",
        ru: "Уведомление не может быть отправлено.",
        en: "The notification cannot be sent."
    }
    /// A count is not a whole number in its range.
    InvalidCount = "invalid_count" {
        ky: "Сан бүтүн жана уруксат берилген чекте болушу керек.",
        ru: "Количество должно быть целым числом в допустимых пределах.",
        en: "The count must be a whole number within the allowed range."
    }
    /// An amount is not som with up to two decimals.
    InvalidAmount = "invalid_amount" {
        ky: "Сумманы сом менен жазыңыз, үтүрдөн кийин эки сандан ашпасын (мисалы, 12500.00).",
        ru: "Укажите сумму в сомах, не более двух знаков после точки (например, 12500.00).",
        en: "Give the amount in som with at most two decimals (for example 12500.00)."
    }
    /// Payments were given together with a reason for having none.
    AmountsOrReason = "amounts_or_reason" {
        ky: "Суммаларды же алардын жоктугунун себебин жазыңыз, экөөн тең эмес.",
        ru: "Укажите либо суммы, либо причину их отсутствия, но не то и другое.",
        en: "Give either the amounts or the reason there were none, not both."
    }
    /// Payments need one amount for each of the last six months.
    SixMonthsExpected = "six_months_expected" {
        ky: "Акыркы алты айдын ар бири үчүн бирден сумма жазыңыз.",
        ru: "Укажите по одной сумме за каждый из последних шести месяцев.",
        en: "Give one amount for each of the last six months."
    }
    /// More rows than one application may have.
    TooManyRows = "too_many_rows" {
        ky: "Саптар өтө көп.",
        ru: "Слишком много строк.",
        en: "Too many rows."
    }
    /// The total quotas differ from the sum of the rows.
    QuotaTotalMismatch = "quota_total_mismatch" {
        ky: "Квоталардын жалпы саны саптардагы сандардын суммасына барабар болушу керек.",
        ru: "Общее количество квот должно равняться сумме по строкам.",
        en: "The total number of quotas must equal the sum of the rows."
    }
    /// Managers and workers together exceed the local staff.
    StaffPartsExceedTotal = "staff_parts_exceed_total" {
        ky: "Жетекчилер менен жумушчулардын саны жергиликтүү кызматкерлердин жалпы санынан ашпашы керек.",
        ru: "Руководителей и рабочих вместе не может быть больше, чем местных работников всего.",
        en: "Managers and workers together cannot be more than the local staff in all."
    }
    /// A power of attorney and its trustee's passport come together.
    TrusteeDocumentsTogether = "trustee_documents_together" {
        ky: "Ишеним кат менен ишенимдүү адамдын паспорту чогуу тиркелет.",
        ru: "Доверенность и паспорт доверенного лица прикладываются вместе.",
        en: "A power of attorney and the trustee's passport are attached together."
    }
    /// The allocation does not give one count per requested row.
    AllocationRowsMismatch = "allocation_rows_mismatch" {
        ky: "Ар бир суралган сап үчүн бирден бөлүштүрүлгөн сан көрсөтүңүз.",
        ru: "Укажите распределённое количество для каждой запрошенной строки.",
        en: "Give one allocated count for each requested row."
    }
    /// A row was allocated more than it asked for, or not a whole number.
    AllocationExceedsRequest = "allocation_exceeds_request" {
        ky: "Бөлүштүрүлгөн сан суралгандан ашпаган бүтүн сан болушу керек.",
        ru: "Распределённое количество должно быть целым числом не больше запрошенного.",
        en: "The allocated count must be a whole number no larger than requested."
    }
    /// A date that must not be in the future is.
    DateInFuture = "date_in_future" {
        ky: "Бул дата келечекте боло албайт.",
        ru: "Эта дата не может быть в будущем.",
        en: "This date cannot be in the future."
    }
    /// No such application (or not the caller's).
    ApplicationNotFound = "application_not_found" {
        ky: "Арыз табылган жок.",
        ru: "Заявка не найдена.",
        en: "The application was not found."
    }
    /// The application is not waiting for a decision (decided, or with the applicant).
    ApplicationNotAwaitingDecision = "application_not_awaiting_decision" {
        ky: "Арыз чечим күтүп турган жок.",
        ru: "Заявка не ожидает решения.",
        en: "The application is not waiting for a decision."
    }
    /// Documents are added and the application resubmitted only during clarification.
    ApplicationNotInClarification = "application_not_in_clarification" {
        ky: "Документ кошуу жана кайра жөнөтүү арыз тактоодо турганда гана мүмкүн.",
        ru: "Добавить документ и отправить заявку повторно можно только во время уточнения.",
        en: "Documents can be added and the application resubmitted only while it is being clarified."
    }
    /// Only a confirmed application can be annulled.
    ApplicationNotConfirmed = "application_not_confirmed" {
        ky: "Ырасталган арызды гана жокко чыгарууга болот.",
        ru: "Аннулировать можно только подтверждённую заявку.",
        en: "Only a confirmed application can be annulled."
    }
    /// The document is already attached to this application.
    DocumentAlreadyAttached = "document_already_attached" {
        ky: "Бул документ арызга мурун эле тиркелген.",
        ru: "Этот документ уже приложен к заявке.",
        en: "This document is already attached to the application."
    }
    /// The upload is not the caller's checked document of the kind the slot takes.
    DocumentNotUsable = "document_not_usable" {
        ky: "Бул жерге сиздин текшерилген, туура түрдөгү документиңизди гана тиркөөгө болот.",
        ru: "Сюда можно приложить только ваш проверенный документ подходящего вида.",
        en: "Only your own checked document of the right kind can be attached here."
    }
    /// A path or query parameter is not of its type, not valid UTF-8, or given twice.
    InvalidParameters = "invalid_parameters" {
        ky: "Даректеги же сурамдагы параметрлер туура эмес.",
        ru: "Параметры в адресе или запросе указаны неверно.",
        en: "The parameters in the address or the query are malformed."
    }
    /// A page cursor that this list did not hand out to the caller.
    InvalidCursor = "invalid_cursor" {
        ky: "Барактын курсору туура эмес. Тизмени башынан ачыңыз.",
        ru: "Неверный курсор страницы. Откройте список сначала.",
        en: "The page cursor is not valid. Open the list from its start."
    }
    /// No such message (or not the caller's).
    MessageNotFound = "message_not_found" {
        ky: "Билдирүү табылган жок.",
        ru: "Сообщение не найдено.",
        en: "The message was not found."
    }
    /// The border service has no crossing record of this document.
    HolderNotFound = "holder_not_found" {
        ky: "Бул документ боюнча чек араны кесип өтүү маалыматы табылган жок. Өлкөнү жана паспорттун номерин текшериңиз.",
        ru: "Данные пересечения границы по этому документу не найдены. Проверьте страну и номер паспорта.",
        en: "No border-crossing record was found for this document. Check the country and the passport number."
    }
    /// Citizens of the Kyrgyz Republic and of the EAEU work without a permit.
    PermitNotRequired = "permit_not_required" {
        ky: "Бул мамлекеттин жарандарына иштөөгө уруксат талап кылынбайт.",
        ru: "Гражданам этого государства разрешение на работу не требуется.",
        en: "Citizens of this state do not need a work permit."
    }
    /// The holder never entered the country, or left after their last entry.
    NotInCountry = "not_in_country" {
        ky: "Чет өлкөлүк жаран азыр Кыргыз Республикасында эмес: өлкөгө кирген эмес же андан чыгып кеткен.",
        ru: "Иностранный гражданин сейчас не находится в Кыргызской Республике: въезд не зарегистрирован или он выехал.",
        en: "The foreigner is not in the Kyrgyz Republic now: no entry is recorded, or they have left."
    }
    /// A citizen of a state whose citizens need a visa holds no valid work visa.
    NoWorkVisa = "no_work_visa" {
        ky: "Чет өлкөлүк жарандын жарактуу эмгек визасы жок.",
        ru: "У иностранного гражданина нет действующей рабочей визы.",
        en: "The foreigner holds no valid work visa."
    }
    /// The passport ends before the time a permit needs.
    PassportExpiresSoon = "passport_expires_soon" {
        ky: "Паспорттун жарактуулук мөөнөтү өтө эрте бүтөт. Жаңы паспорт менен кайрылыңыз.",
        ru: "Срок действия паспорта истекает слишком скоро. Обратитесь с новым паспортом.",
        en: "The passport expires too soon. Apply with a new passport."
    }
    /// No paid quota allocation of the employer has a free place for this country
    /// (and position).
    NoFreeQuota = "no_free_quota" {
        ky: "Бул өлкө жана кызмат орду үчүн төлөнгөн квотада бош орун жок.",
        ru: "В оплаченных квотах нет свободного места для этой страны и должности.",
        en: "No paid quota allocation has a free place for this country and position."
    }
    /// The foreigner holds a valid permit or has an application under examination.
    AlreadyHoldsPermit = "already_holds_permit" {
        ky: "Бул чет өлкөлүк жаранда жарактуу уруксат же каралып жаткан арыз бар.",
        ru: "У этого иностранного гражданина уже есть действующее разрешение или заявка на рассмотрении.",
        en: "This foreigner already holds a valid permit or has an application under examination."
    }
    /// No valid stay registration has this number.
    TalonNotValid = "talon_not_valid" {
        ky: "Бул номер менен жарактуу каттоо табылган жок.",
        ru: "Действующая регистрация с этим номером не найдена.",
        en: "No valid stay registration has this number."
    }
    /// The registration is of another passport than the application's.
    TalonOfAnotherPassport = "talon_of_another_passport" {
        ky: "Бул каттоо башка паспортко таандык.",
        ru: "Эта регистрация оформлена на другой паспорт.",
        en: "This registration is of another passport."
    }
    /// The allocation's places were all taken before this permit could be approved.
    AllocationExhausted = "allocation_exhausted" {
        ky: "Квотадагы бардык орундар ээленди: уруксат берүүгө болбойт.",
        ru: "Все места квоты заняты: разрешение не может быть выдано.",
        en: "Every place of the quota allocation is taken: the permit cannot be issued."
    }
    /// The decision is made for applications of another kind (a quota is confirmed with
    /// its allocation, a work permit approved with its validity).
    DecisionNotForKind = "decision_not_for_kind" {
        ky: "Бул чечим мындай түрдөгү арыздарга колдонулбайт.",
        ru: "Это решение не применяется к заявкам такого вида.",
        en: "This decision is not made for applications of this kind."
    }
    /// A planned entry date in the past or more than a year ahead.
    InvalidPlannedEntry = "invalid_planned_entry" {
        ky: "Пландалган кирүү датасы бүгүндөн баштап бир жылдын ичинде болушу керек.",
        ru: "Плановая дата въезда должна быть не раньше сегодняшнего дня и не позже чем через год.",
        en: "The planned entry date must be today or within a year."
    }
    /// Only a valid work permit, not already being extended, can be extended.
    PermitNotExtendable = "permit_not_extendable" {
        ky: "Жарактуу уруксатты гана узартууга болот, бир эле жолу бир суроо менен.",
        ru: "Продлить можно только действующее разрешение и только одним запросом за раз.",
        en: "Only a valid work permit can be extended, one request at a time."
    }
    /// A new last day that is not after the current one, more than a year after it,
    /// beyond the passport or beyond the day asked.
    InvalidExtension = "invalid_extension" {
        ky: "Жаңы акыркы күн учурдагыдан кийин, андан бир жылдын ичинде, паспорттун мөөнөтүнөн жана суралган күндөн ашпашы керек.",
        ru: "Новый последний день должен быть после текущего, в пределах года от него, срока действия паспорта и запрошенной даты.",
        en: "The new last day must be after the current one, within a year of it, within the passport and not past the day asked."
    }
    /// The permit is not waiting for a decision on an extension.
    ExtensionNotRequested = "extension_not_requested" {
        ky: "Бул уруксатты узартуу суралган эмес.",
        ru: "Продление этого разрешения не запрашивалось.",
        en: "No extension of this permit is waiting for a decision."
    }
    /// Only a granted work permit (or status) can be revoked.
    NotRevocable = "not_revocable" {
        ky: "Берилген уруксатты гана кайтарып алууга болот.",
        ru: "Отозвать можно только выданное разрешение.",
        en: "Only a granted permit can be revoked."
    }
    /// A permit's last day must be after today, within a year and within the passport.
    InvalidPermitValidity = "invalid_permit_validity" {
        ky: "Уруксаттын акыркы күнү бүгүндөн кийин, бир жылдын ичинде жана паспорттун мөөнөтүнөн ашпашы керек.",
        ru: "Последний день разрешения должен быть после сегодняшнего, в пределах года и срока действия паспорта.",
        en: "A permit's last day must be after today, within a year and within the passport's validity."
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A field that failed validation: its path in the request and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub code: Code,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: Code) -> Self {
        Self {
            field: field.into(),
            code,
        }
    }
}

/// What the domain can refuse. The HTTP edge maps each variant to a status once.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DomainError {
    #[error("invalid input: {0:?}")]
    Invalid(Vec<FieldError>),
    #[error("not found: {0}")]
    NotFound(Code),
    #[error("conflict: {0}")]
    Conflict(Code),
    #[error("forbidden: {0}")]
    Forbidden(Code),
    #[error("unauthenticated: {0}")]
    Unauthenticated(Code),
    /// The request is well-formed but cannot be done: a wrong or expired code, a used link.
    #[error("refused: {0}")]
    Refused(Code),
    #[error("too many requests: {code}")]
    TooManyRequests { code: Code, retry_after_secs: u64 },
}

impl DomainError {
    /// `Invalid` with these field errors, or nothing when there are none.
    pub fn unless_valid(errors: Vec<FieldError>) -> Result<(), DomainError> {
        if errors.is_empty() {
            Ok(())
        } else {
            Err(DomainError::Invalid(errors))
        }
    }

    pub fn code(&self) -> Code {
        match self {
            DomainError::Invalid(_) => Code::InvalidFields,
            DomainError::NotFound(code)
            | DomainError::Conflict(code)
            | DomainError::Forbidden(code)
            | DomainError::Unauthenticated(code)
            | DomainError::Refused(code)
            | DomainError::TooManyRequests { code, .. } => *code,
        }
    }
}

#[cfg(test)]
mod tests;
