//! The choices of the work-permit form, each with its stable code and its label in
//! Kyrgyz, Russian and English.

use serde::{Deserialize, Serialize};

use crate::Lang;
use crate::error::Code;

macro_rules! choice {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $code:literal [$ky:literal, $ru:literal, $en:literal]),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub fn parse(raw: &str) -> Result<Self, Code> {
                match raw.trim() {
                    $($code => Ok($name::$variant),)+
                    _ => Err(Code::InvalidValue),
                }
            }

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// As the portal shows it.
            pub fn label(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $(
                        ($name::$variant, Lang::Ky) => $ky,
                        ($name::$variant, Lang::Ru) => $ru,
                        ($name::$variant, Lang::En) => $en,
                    )+
                }
            }
        }
    };
}

choice!(
    /// The foreigner's education.
    Education {
        Higher = "higher" ["Жогорку", "Высшее", "Higher"],
        Vocational = "vocational" ["Орто кесиптик", "Среднее профессиональное", "Vocational"],
        Secondary = "secondary" ["Орто", "Среднее", "Secondary"],
        Basic = "basic" ["Негизги", "Основное", "Basic"],
    }
);

choice!(
    /// The foreigner's marital status.
    MaritalStatus {
        Single = "single" ["Үй-бүлөлүү эмес", "Холост/не замужем", "Single"],
        Married = "married" ["Үй-бүлөлүү", "Женат/замужем", "Married"],
        Divorced = "divorced" ["Ажырашкан", "Разведён/разведена", "Divorced"],
        Widowed = "widowed" ["Жесир", "Вдовец/вдова", "Widowed"],
    }
);

choice!(
    /// The region of work: the two cities of republican significance and the seven
    /// regions.
    Region {
        Bishkek = "bishkek" ["Бишкек шаары", "г. Бишкек", "Bishkek city"],
        OshCity = "osh_city" ["Ош шаары", "г. Ош", "Osh city"],
        Batken = "batken" ["Баткен облусу", "Баткенская область", "Batken region"],
        Chuy = "chuy" ["Чүй облусу", "Чуйская область", "Chuy region"],
        IssykKul = "issyk_kul" ["Ысык-Көл облусу", "Иссык-Кульская область", "Issyk-Kul region"],
        JalalAbad = "jalal_abad" ["Жалал-Абад облусу", "Джалал-Абадская область", "Jalal-Abad region"],
        Naryn = "naryn" ["Нарын облусу", "Нарынская область", "Naryn region"],
        Osh = "osh" ["Ош облусу", "Ошская область", "Osh region"],
        Talas = "talas" ["Талас облусу", "Таласская область", "Talas region"],
    }
);

choice!(
    /// How a relative is related to the foreigner.
    Kinship {
        Spouse = "spouse" ["Жубайы", "Супруг(а)", "Spouse"],
        Child = "child" ["Баласы", "Ребёнок", "Child"],
        Parent = "parent" ["Ата-энеси", "Родитель", "Parent"],
        Other = "other" ["Башка", "Другое", "Other"],
    }
);
