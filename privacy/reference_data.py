"""Reference registers of the AS Balticom privacy policy (Annex 1, §9, §11, §12, §19-29, §68-71).

Plain Python literals (lv/en/ru wordings); `sync` (run by `manage.py sync_reference` and after every
`migrate`, privacy/sync.py) creates the rows missing from the database. A row that exists is the DPO's
to keep in the admin: the sync never changes it.
"""

# Annex 1 (pielikums Nr. 1) 'Datu kategorijas': 32 categories, in the annex's order.
# Only no. 3 (special categories: resident status, deceased, disability) is special=True.
# Footnote markers in the annex ('CRM1', 'saglabājamie2') are dropped from the Latvian text.
DATA_CATEGORIES = [
    {
        "number": 1,
        "special": False,
        "name_lv": "Personas identifikācijas dati",
        "name_en": "Personal identification data",
        "name_ru": "Идентификационные данные лица",
        "examples_lv": "vārds, uzvārds, personas kods/ID, dzimšanas datums, pases Nr./ID numurs, paraksts",
        "examples_en": (
            "first name, surname, personal code/ID, date of birth, passport no./ID number, signature"
        ),
        "examples_ru": "имя, фамилия, персональный код/ID, дата рождения, номер паспорта/ID-номер, подпись",
    },
    {
        "number": 2,
        "special": False,
        "name_lv": "Personas kontaktinformācija",
        "name_en": "Personal contact details",
        "name_ru": "Контактная информация лица",
        "examples_lv": "adrese, telefona numurs, e-pasta adrese",
        "examples_en": "address, phone number, email address",
        "examples_ru": "адрес, номер телефона, адрес электронной почты",
    },
    {
        "number": 3,
        "special": True,
        "name_lv": "Īpašo kategoriju dati (sensitīvie)",
        "name_en": "Special category data (sensitive)",
        "name_ru": "Данные особых категорий (чувствительные)",
        "examples_lv": "rezidents/nerezidents, miršanas statuss, invaliditātes pazīme",
        "examples_en": "resident/non-resident, deceased status, disability indicator",
        "examples_ru": "резидент/нерезидент, статус умершего, признак инвалидности",
    },
    {
        "number": 4,
        "special": False,
        "name_lv": "Personas kontaktpersonu dati",
        "name_en": "Contact person data",
        "name_ru": "Данные контактных лиц",
        "examples_lv": "kontaktpersonas vārds, uzvārds, e-pasta adrese, telefona numurs",
        "examples_en": "contact person's first name, surname, email address, phone number",
        "examples_ru": "имя, фамилия, адрес электронной почты, номер телефона контактного лица",
    },
    {
        "number": 5,
        "special": False,
        "name_lv": "Klienta dati",
        "name_en": "Customer data",
        "name_ru": "Данные клиента",
        "examples_lv": "klienta līguma numurs, klienta reģistrēšanas datums, statuss",
        "examples_en": "customer contract number, customer registration date, status",
        "examples_ru": "номер договора клиента, дата регистрации клиента, статус",
    },
    {
        "number": 6,
        "special": False,
        "name_lv": "Mans Balticom dati",
        "name_en": "Mans Balticom data",
        "name_ru": "Данные Mans Balticom",
        "examples_lv": "lietotāja numurs, veiktās darbības Mans Balticom portālā",
        "examples_en": "user number, actions performed in the Mans Balticom portal",
        "examples_ru": "номер пользователя, действия, совершённые на портале Mans Balticom",
    },
    {
        "number": 7,
        "special": False,
        "name_lv": "Klienta analītikas dati",
        "name_en": "Customer analytics data",
        "name_ru": "Данные аналитики клиентов",
        "examples_lv": (
            "piederība kategorijai, segments, vecuma grupa, vecuma segments (jauniešu, masu, senior), "
            "valoda, dzimums u.c"
        ),
        "examples_en": (
            "category membership, segment, age group, age segment (youth, mass, senior), language, gender, "
            "etc."
        ),
        "examples_ru": (
            "принадлежность к категории, сегмент, возрастная группа, возрастной сегмент (молодёжный, "
            "массовый, сеньор), язык, пол и др."
        ),
    },
    {
        "number": 8,
        "special": False,
        "name_lv": "Pakalpojuma dati",
        "name_en": "Service data",
        "name_ru": "Данные услуги",
        "examples_lv": (
            "servisa numurs, pakalpojuma nosaukums, pakalpojuma adrese, cena, atlaide, atlaides beigu termiņš"
        ),
        "examples_en": "service number, service name, service address, price, discount, discount end date",
        "examples_ru": (
            "номер услуги, название услуги, адрес предоставления услуги, цена, скидка, срок окончания скидки"
        ),
    },
    {
        "number": 9,
        "special": False,
        "name_lv": "Gala iekārtu dati",
        "name_en": "Terminal equipment data",
        "name_ru": "Данные оконечного оборудования",
        "examples_lv": "gala iekārtas nosaukums, veids, seriālais numurs, MAC adrese, skaitītāja numurs",
        "examples_en": "terminal equipment name, type, serial number, MAC address, meter number",
        "examples_ru": "название оконечного оборудования, тип, серийный номер, MAC-адрес, номер счётчика",
    },
    {
        "number": 10,
        "special": False,
        "name_lv": "Pakalpojuma līguma dati",
        "name_en": "Service contract data",
        "name_ru": "Данные договора об услугах",
        "examples_lv": (
            "līguma numurs, parakstīšanas / apstiprināšanas datums, veids, pielikuma numurs, pielikuma datums"
        ),
        "examples_en": "contract number, signing/approval date, type, annex number, annex date",
        "examples_ru": "номер договора, дата подписания/утверждения, тип, номер приложения, дата приложения",
    },
    {
        "number": 11,
        "special": False,
        "name_lv": "Darījuma dati",
        "name_en": "Transaction data",
        "name_ru": "Данные сделки",
        "examples_lv": (
            "darījuma numurs, datums, darījuma nosaukums, veids, statuss, pakalpojuma ierīkošanas informācija"
        ),
        "examples_en": (
            "transaction number, date, transaction name, type, status, service installation information"
        ),
        "examples_ru": (
            "номер сделки, дата, наименование сделки, тип, статус, информация о подключении услуги"
        ),
    },
    {
        "number": 12,
        "special": False,
        "name_lv": "CRM aktivitātes dati",
        "name_en": "CRM activity data",
        "name_ru": "Данные активностей CRM",
        "examples_lv": "aktivitātes numurs, veids, datums, kategorija, īpašnieks",
        "examples_en": "activity number, type, date, category, owner",
        "examples_ru": "номер активности, тип, дата, категория, владелец",
    },
    {
        "number": 13,
        "special": False,
        "name_lv": "Komunikācijas dati",
        "name_en": "Communication data",
        "name_ru": "Данные коммуникации",
        "examples_lv": (
            "ienākošās/izejošās saziņas veids, numurs, datums, reģistrētājs, saturs, kanāls, piegādes statuss"
        ),
        "examples_en": (
            "incoming/outgoing communication type, number, date, registrar, content, channel, delivery status"
        ),
        "examples_ru": (
            "тип входящей/исходящей коммуникации, номер, дата, регистратор, содержание, канал, статус "
            "доставки"
        ),
    },
    {
        "number": 14,
        "special": False,
        "name_lv": "Preces pirkuma dati",
        "name_en": "Goods purchase data",
        "name_ru": "Данные о покупке товаров",
        "examples_lv": (
            "preces nosaukums, preces kods, pirkuma datums, pavadzīmes numurs, preces saņemšanas veids, "
            "cena, apmaksas veids, čeka informācija"
        ),
        "examples_en": (
            "product name, product code, purchase date, waybill number, method of receipt, price, payment "
            "method, receipt information"
        ),
        "examples_ru": (
            "наименование товара, код товара, дата покупки, номер накладной, способ получения товара, цена, "
            "способ оплаты, информация о чеке"
        ),
    },
    {
        "number": 15,
        "special": False,
        "name_lv": "Pakalpojuma pirkuma dati",
        "name_en": "Service purchase data",
        "name_ru": "Данные о покупке услуг",
        "examples_lv": (
            "virszemes televīzijas priekšapmaksas pirkuma informācija (aktivizācijas datums, veids), "
            "Balticom+ filmu pirkumi (cena, datums, filmas nosaukums)"
        ),
        "examples_en": (
            "terrestrial TV prepaid purchase information (activation date, type), Balticom+ film purchases "
            "(price, date, film title)"
        ),
        "examples_ru": (
            "информация о предоплаченных покупках эфирного телевидения (дата активации, тип), покупки "
            "фильмов Balticom+ (цена, дата, название фильма)"
        ),
    },
    {
        "number": 16,
        "special": False,
        "name_lv": "Nomaksas pirkuma dati",
        "name_en": "Instalment purchase data",
        "name_ru": "Данные о покупке в рассрочку",
        "examples_lv": "nomaksas pirkuma līguma numurs, lēmums, maksājumu grafiks, līzinga līguma numurs",
        "examples_en": (
            "instalment purchase contract number, decision, payment schedule, leasing contract number"
        ),
        "examples_ru": (
            "номер договора покупки в рассрочку, решение, график платежей, номер договора лизинга"
        ),
    },
    {
        "number": 17,
        "special": False,
        "name_lv": "Maksātspējas pārbaudes dati",
        "name_en": "Solvency check data",
        "name_ru": "Данные проверки платёжеспособности",
        "examples_lv": "statuss par ārēja parāda esamību, kredītriska vērtējums, maksātspējas statuss",
        "examples_en": "status of any external debt, credit-risk rating, solvency status",
        "examples_ru": "статус наличия внешнего долга, оценка кредитного риска, статус платёжеспособности",
    },
    {
        "number": 18,
        "special": False,
        "name_lv": "Norēķinu dati",
        "name_en": "Billing data",
        "name_ru": "Расчётные данные",
        "examples_lv": (
            "norēķinu sistēmas konta numurs, bankas konta numurs, rēķina numurs, datums, summa, rēķina "
            "saņemšanas veids, apmaksas datums, parāda summa, parāda piedzīšanas informācija, maksājumu "
            "dati (apmaksas datums, apmaksājamā summa, kārtējā samaksātā summa), maksātājs, kavējuma "
            "dienas, kavējuma summa"
        ),
        "examples_en": (
            "billing system account number, bank account number, invoice number, date, amount, invoice "
            "delivery method, payment date, debt amount, debt collection information, payment data (payment "
            "date, amount due, current amount paid), payer, days overdue, overdue amount"
        ),
        "examples_ru": (
            "номер счёта в расчётной системе, номер банковского счёта, номер счёта-фактуры, дата, сумма, "
            "способ получения счёта, дата оплаты, сумма долга, информация о взыскании долга, платёжные "
            "данные (дата оплаты, сумма к оплате, текущая оплаченная сумма), плательщик, дни просрочки, "
            "сумма просрочки"
        ),
    },
    {
        "number": 19,
        "special": False,
        "name_lv": "Pakalpojuma lietošanas dati",
        "name_en": "Service usage data",
        "name_ru": "Данные об использовании услуг",
        "examples_lv": (
            "balss pakalpojuma saglabājamie dati, interneta piekļuves pakalpojuma saglabājamie dati, "
            "interaktīvās televīzijas lietošanas dati, Balticom+ lietošanas dati, Wi-Fi lietošanas dati, "
            "Balticom elektrības lietošanas dati, sensoru dati"
        ),
        "examples_en": (
            "retained data of voice services, retained data of internet access services, interactive TV "
            "usage data, Balticom+ usage data, Wi-Fi usage data, Balticom electricity usage data, sensor "
            "data"
        ),
        "examples_ru": (
            "сохраняемые данные голосовых услуг, сохраняемые данные услуг доступа в интернет, данные об "
            "использовании интерактивного телевидения, данные об использовании Balticom+, данные об "
            "использовании Wi-Fi, данные о потреблении электроэнергии Balticom, данные датчиков"
        ),
    },
    {
        "number": 20,
        "special": False,
        "name_lv": "Bojājumu dati",
        "name_en": "Fault data",
        "name_ru": "Данные о неисправностях",
        "examples_lv": "bojājuma numurs, reģistrēšanas/atrisināšanas datums, veids, apraksts",
        "examples_en": "fault number, registration/resolution date, type, description",
        "examples_ru": "номер неисправности, дата регистрации/устранения, тип, описание",
    },
    {
        "number": 21,
        "special": False,
        "name_lv": "Iebildumu/pieteikumu dati",
        "name_en": "Objection/application data",
        "name_ru": "Данные возражений/заявок",
        "examples_lv": "iebilduma/pieteikuma numurs, reģistrēšanas/atrisināšanas datums, veids, apraksts",
        "examples_en": "objection/application number, registration/resolution date, type, description",
        "examples_ru": "номер возражения/заявки, дата регистрации/решения, тип, описание",
    },
    {
        "number": 22,
        "special": False,
        "name_lv": "Klientu aptauju dati",
        "name_en": "Customer survey data",
        "name_ru": "Данные опросов клиентов",
        "examples_lv": (
            "aptaujas nosaukums, izsūtīšanas datums, atbildes sniegšanas datums, aptaujas jautājumi un "
            "sniegtās atbildes"
        ),
        "examples_en": "survey name, date sent, date answered, survey questions and answers given",
        "examples_ru": "название опроса, дата рассылки, дата ответа, вопросы опроса и полученные ответы",
    },
    {
        "number": 23,
        "special": False,
        "name_lv": "Balticom interneta vietnēs veiktās darbības",
        "name_en": "Actions on Balticom websites",
        "name_ru": "Действия на веб-сайтах Balticom",
        "examples_lv": "IP adrese, veiktās darbības nosaukumus, interneta vietnes sadaļa, datums un laiks",
        "examples_en": "IP address, names of actions performed, website section, date and time",
        "examples_ru": "IP-адрес, названия совершённых действий, раздел веб-сайта, дата и время",
    },
    {
        "number": 24,
        "special": False,
        "name_lv": "Fotogrāfijas un attēli",
        "name_en": "Photographs and images",
        "name_ru": "Фотографии и изображения",
        "examples_lv": "fotogrāfijas no klientu pasākumiem, fotogrāfijas uzņemšanas datums",
        "examples_en": "photos from customer events, date the photo was taken",
        "examples_ru": "фотографии с клиентских мероприятий, дата съёмки",
    },
    {
        "number": 25,
        "special": False,
        "name_lv": "Video dati",
        "name_en": "Video data",
        "name_ru": "Видеоданные",
        "examples_lv": (
            "video no klientu pasākumiem, videonovērošana Balticom objektos, ierakstīšanas datums"
        ),
        "examples_en": "videos from customer events, video surveillance at Balticom sites, recording date",
        "examples_ru": "видео с клиентских мероприятий, видеонаблюдение на объектах Balticom, дата записи",
    },
    {
        "number": 26,
        "special": False,
        "name_lv": "Sarunu ierakstu dati",
        "name_en": "Call recording data",
        "name_ru": "Данные записей разговоров",
        "examples_lv": "Balticom klientu apkalpošanas tālruņu sarunu ieraksti, datums un laiks",
        "examples_en": "recordings of calls to Balticom customer service phone lines, date and time",
        "examples_ru": "записи разговоров по телефонам обслуживания клиентов Balticom, дата и время",
    },
    {
        "number": 27,
        "special": False,
        "name_lv": "Pieejas dati sistēmām",
        "name_en": "System access data",
        "name_ru": "Данные доступа к системам",
        "examples_lv": "klientam piešķirtie lietotājvārdi un paroles",
        "examples_en": "usernames and passwords assigned to the customer",
        "examples_ru": "присвоенные клиенту имена пользователя и пароли",
    },
    {
        "number": 28,
        "special": False,
        "name_lv": "Piekrišanu informācija",
        "name_en": "Consent information",
        "name_ru": "Информация о согласиях",
        "examples_lv": "klienta izteiktās piekrišanas atzīme pa tēmām, piekrišanas datums un laiks, avots",
        "examples_en": "customer's consent mark per topic, consent date and time, source",
        "examples_ru": "отметка о согласии клиента по темам, дата и время согласия, источник",
    },
    {
        "number": 29,
        "special": False,
        "name_lv": "Atrašanās vietas dati",
        "name_en": "Location data",
        "name_ru": "Данные о местоположении",
        "examples_lv": "gala iekārtas atrašanās adrese, pieslēguma punkta adrese",
        "examples_en": "terminal equipment location address, connection point address",
        "examples_ru": "адрес местонахождения оконечного оборудования, адрес точки подключения",
    },
    {
        "number": 30,
        "special": False,
        "name_lv": "Tīkla informācija",
        "name_en": "Network information",
        "name_ru": "Сетевая информация",
        "examples_lv": (
            "tīkla elementu (krosi, skapji, kastītes, spliteri) pozīcijas, iekārtu porti, kabeļu "
            "pāris/šķiedra, iekārtas tips, programmatūras versija, savienotās iekārtas"
        ),
        "examples_en": (
            "positions of network elements (cross-connects, cabinets, boxes, splitters), equipment ports, "
            "cable pair/fibre, equipment type, software version, connected devices"
        ),
        "examples_ru": (
            "расположение элементов сети (кроссы, шкафы, коробки, сплиттеры), порты оборудования, кабельная "
            "пара/волокно, тип оборудования, версия ПО, подключённые устройства"
        ),
    },
    {
        "number": 31,
        "special": False,
        "name_lv": "Pakalpojuma lietošanas (noslodzes) dati",
        "name_en": "Service usage (traffic) data",
        "name_ru": "Данные об использовании услуг (трафик)",
        "examples_lv": "CDR, IP adrešu piešķiršanas fakts, e-pasta obligāti saglabājamie dati",
        "examples_en": "CDRs, fact of IP address assignment, mandatorily retained email data",
        "examples_ru": "CDR, факт присвоения IP-адреса, обязательно сохраняемые данные электронной почты",
    },
    {
        "number": 32,
        "special": False,
        "name_lv": "TV pakalpojuma lietošanas dati",
        "name_en": "TV service usage data",
        "name_ru": "Данные об использовании ТВ-услуг",
        "examples_lv": (
            "klienta numurs, abonētā TV paka, iekārtas ID, tips, modelis, kanāla un pārraides ID, "
            "televīzijas skatījumi, Balticom Kino pirkumi, izmantotā valoda, TV pārraižu arhīva izmantošana"
        ),
        "examples_en": (
            "customer number, subscribed TV package, device ID, type, model, channel and programme ID, TV "
            "views, Balticom Kino purchases, language used, use of the TV programme archive"
        ),
        "examples_ru": (
            "номер клиента, подписанный ТВ-пакет, ID устройства, тип, модель, ID канала и передачи, "
            "телепросмотры, покупки Balticom Kino, используемый язык, использование архива телепередач"
        ),
    },
]

# §9: top-level purposes 9.1-9.7 and their sub-purposes (9.1: 12, 9.2: 2, 9.3: 8, 9.4: 2;
# 9.5-9.7 have none). Parents always precede their children.
PROCESSING_PURPOSES = [
    {
        "code": "9.1",
        "parent": None,
        "name_lv": "Pakalpojumu sniegšanai un preču pārdošanai",
        "name_en": "Providing services and selling goods",
        "name_ru": "Предоставление услуг и продажа товаров",
    },
    {
        "code": "9.1.1",
        "parent": "9.1",
        "name_lv": "klienta identificēšanai",
        "name_en": "Identifying the customer",
        "name_ru": "Идентификация клиента",
    },
    {
        "code": "9.1.2",
        "parent": "9.1",
        "name_lv": "līguma sagatavošanai, noslēgšanai un noslēgšanas fakta pierādīšanai",
        "name_en": "Preparing and concluding the contract and proving that it was concluded",
        "name_ru": "Подготовка и заключение договора, подтверждение факта его заключения",
    },
    {
        "code": "9.1.3",
        "parent": "9.1",
        "name_lv": "preču piegādei un pakalpojumu ierīkošanai un sniegšanai (līguma saistību izpildei)",
        "name_en": "Delivering goods and installing and providing services (performance of the contract)",
        "name_ru": (
            "Доставка товаров, подключение и предоставление услуг (исполнение договорных обязательств)"
        ),
    },
    {
        "code": "9.1.4",
        "parent": "9.1",
        "name_lv": "pakalpojumu darbības nodrošināšanai / uzturēšanai",
        "name_en": "Ensuring the operation / maintenance of services",
        "name_ru": "Обеспечение работы / техническое обслуживание услуг",
    },
    {
        "code": "9.1.5",
        "parent": "9.1",
        "name_lv": "garantijas saistību izpildei",
        "name_en": "Fulfilling warranty obligations",
        "name_ru": "Исполнение гарантийных обязательств",
    },
    {
        "code": "9.1.6",
        "parent": "9.1",
        "name_lv": "preču un pakalpojumu uzlabošanai, jaunu preču un pakalpojumu attīstībai",
        "name_en": "Improving goods and services, developing new goods and services",
        "name_ru": "Улучшение товаров и услуг, разработка новых товаров и услуг",
    },
    {
        "code": "9.1.7",
        "parent": "9.1",
        "name_lv": "pakalpojuma lietošanas veicināšanai, reklamēšanai un izplatīšanai",
        "name_en": "Promoting the use of services, advertising and distributing them",
        "name_ru": "Стимулирование использования услуг, их реклама и распространение",
    },
    {
        "code": "9.1.8",
        "parent": "9.1",
        "name_lv": "klientu apkalpošanai",
        "name_en": "Customer service",
        "name_ru": "Обслуживание клиентов",
    },
    {
        "code": "9.1.9",
        "parent": "9.1",
        "name_lv": "iesniegumu un iebildumu izskatīšanai un apstrādei",
        "name_en": "Reviewing and handling applications and objections",
        "name_ru": "Рассмотрение и обработка заявлений и возражений",
    },
    {
        "code": "9.1.10",
        "parent": "9.1",
        "name_lv": "klientu noturēšanai, lojalitātes celšanai, apmierinātības mērījumiem",
        "name_en": "Customer retention, increasing loyalty, measuring satisfaction",
        "name_ru": "Удержание клиентов, повышение лояльности, измерение удовлетворённости",
    },
    {
        "code": "9.1.11",
        "parent": "9.1",
        "name_lv": "norēķinu administrēšanai",
        "name_en": "Administering billing and payments",
        "name_ru": "Администрирование расчётов",
    },
    {
        "code": "9.1.12",
        "parent": "9.1",
        "name_lv": "mājaslapu un mobilo lietotņu uzturēšanai un darbības uzlabošanai",
        "name_en": "Maintaining websites and mobile apps and improving how they work",
        "name_ru": "Поддержка веб-сайтов и мобильных приложений и улучшение их работы",
    },
    {
        "code": "9.2",
        "parent": None,
        "name_lv": "Saistību izpildes nodrošināšanai",
        "name_en": "Securing the performance of obligations",
        "name_ru": "Обеспечение исполнения обязательств",
    },
    {
        "code": "9.2.1",
        "parent": "9.2",
        "name_lv": "kredītspējas novērtēšanai, kredītu uzraudzībai",
        "name_en": "Assessing creditworthiness, credit monitoring",
        "name_ru": "Оценка кредитоспособности, кредитный мониторинг",
    },
    {
        "code": "9.2.2",
        "parent": "9.2",
        "name_lv": "parādu atgūšanai un piedziņai",
        "name_en": "Debt recovery and collection",
        "name_ru": "Возврат и взыскание долгов",
    },
    {
        "code": "9.3",
        "parent": None,
        "name_lv": "Biznesa plānošanai un analītikai",
        "name_en": "Business planning and analytics",
        "name_ru": "Бизнес-планирование и аналитика",
    },
    {
        "code": "9.3.1",
        "parent": "9.3",
        "name_lv": "statistikai un biznesa analīzei",
        "name_en": "Statistics and business analysis",
        "name_ru": "Статистика и бизнес-анализ",
    },
    {
        "code": "9.3.2",
        "parent": "9.3",
        "name_lv": "plānošanai un uzskaitei",
        "name_en": "Planning and accounting",
        "name_ru": "Планирование и учёт",
    },
    {
        "code": "9.3.3",
        "parent": "9.3",
        "name_lv": "efektivitātes mērīšanai",
        "name_en": "Measuring efficiency",
        "name_ru": "Измерение эффективности",
    },
    {
        "code": "9.3.4",
        "parent": "9.3",
        "name_lv": "datu kvalitātes nodrošināšanai",
        "name_en": "Ensuring data quality",
        "name_ru": "Обеспечение качества данных",
    },
    {
        "code": "9.3.5",
        "parent": "9.3",
        "name_lv": "tirgus un sabiedriskā viedokļa pētījumu veikšanai",
        "name_en": "Conducting market and public opinion research",
        "name_ru": "Проведение исследований рынка и общественного мнения",
    },
    {
        "code": "9.3.6",
        "parent": "9.3",
        "name_lv": "atskaišu sagatavošanai",
        "name_en": "Preparing reports",
        "name_ru": "Подготовка отчётов",
    },
    {
        "code": "9.3.7",
        "parent": "9.3",
        "name_lv": "klientu aptauju veikšanai",
        "name_en": "Conducting customer surveys",
        "name_ru": "Проведение опросов клиентов",
    },
    {
        "code": "9.3.8",
        "parent": "9.3",
        "name_lv": "riska vadības aktivitāšu ietvaros",
        "name_en": "Risk management activities",
        "name_ru": "В рамках мероприятий по управлению рисками",
    },
    {
        "code": "9.4",
        "parent": None,
        "name_lv": "Normatīvajos aktos noteikto pienākumu izpildei",
        "name_en": "Fulfilling obligations laid down by law",
        "name_ru": "Исполнение обязанностей, установленных нормативными актами",
    },
    {
        "code": "9.4.1",
        "parent": "9.4",
        "name_lv": "saglabājamo datu nodrošināšanai",
        "name_en": "Providing retained data (data retention)",
        "name_ru": "Обеспечение сохраняемых данных (хранение данных)",
    },
    {
        "code": "9.4.2",
        "parent": "9.4",
        "name_lv": "informācijas sniegšanai valsts pārvaldes iestādēm un operatīvās darbības subjektiem",
        "name_en": "Providing information to state administration authorities and law-enforcement bodies",
        "name_ru": (
            "Предоставление информации органам государственного управления и субъектам оперативной "
            "деятельности"
        ),
    },
    {
        "code": "9.5",
        "parent": None,
        "name_lv": "Informācijas, informācijas sistēmu un uzņēmuma drošības nodrošināšanai",
        "name_en": "Ensuring the security of information, information systems and the company",
        "name_ru": "Обеспечение безопасности информации, информационных систем и предприятия",
    },
    {
        "code": "9.6",
        "parent": None,
        "name_lv": (
            "Inženierkomunikāciju tīkla uzturēšanai un ierīkošanai (tīkla "
            "uzturēšanas/ierīkošanas/uzlabošanas darbu saskaņošanai ar zemes vai ēku īpašniekiem - "
            "aptaujas, vai bez tās, veidā)"
        ),
        "name_en": (
            "Maintaining and building the utility network (agreeing network "
            "maintenance/installation/improvement works with land or building owners, by survey or "
            "otherwise)"
        ),
        "name_ru": (
            "Обслуживание и строительство сети инженерных коммуникаций (согласование работ по "
            "обслуживанию/строительству/улучшению сети с владельцами земли или зданий — путём опроса или "
            "без него)"
        ),
    },
    {
        "code": "9.7",
        "parent": None,
        "name_lv": (
            "Citos specifiskos nolūkos, par kuriem Klients tiek informēts brīdī, kad viņš sniedz attiecīgus "
            "datus Balticom"
        ),
        "name_en": (
            "Other specific purposes of which the customer is informed when providing the data to Balticom"
        ),
        "name_ru": (
            "Иные конкретные цели, о которых Клиент информируется в момент предоставления соответствующих "
            "данных Balticom"
        ),
    },
]

# §11: the five legal bases, in the policy's order (short head of each clause, before the dash).
# §11.4 reads 'leģitīm intereu' in the source (garbled); given here as 'leģitīmo interešu' as in §26.4.
LEGAL_BASES = [
    {
        "code": "contract",
        "clause": "11.1",
        "name_lv": "līguma noslēgšanai un izpildei",
        "name_en": "Conclusion and performance of a contract",
        "name_ru": "Заключение и исполнение договора",
    },
    {
        "code": "legal_obligation",
        "clause": "11.2",
        "name_lv": "normatīvo aktu prasību izpildei",
        "name_en": "Compliance with legal obligations",
        "name_ru": "Выполнение требований нормативных актов",
    },
    {
        "code": "consent",
        "clause": "11.3",
        "name_lv": "saskaņā ar Klienta - datu subjekta piekrišanu",
        "name_en": "Consent of the customer (data subject)",
        "name_ru": "Согласие Клиента — субъекта данных",
    },
    {
        "code": "legitimate_interest",
        "clause": "11.4",
        "name_lv": "Balticom leģitīmo interešu nodrošināšanai",
        "name_en": "Legitimate interests of Balticom",
        "name_ru": "Обеспечение законных интересов Balticom",
    },
    {
        "code": "vital_interest",
        "clause": "11.5",
        "name_lv": "datu subjekta vai citas fiziskās personas vitālo interešu nodrošināšanai",
        "name_en": "Vital interests of the data subject or another natural person",
        "name_ru": "Защита жизненно важных интересов субъекта данных или другого физического лица",
    },
]

# §12: the 29 legitimate interests (the source's heading repeats §11's 'tiesiskajiem pamatiem').
# §12.12 'Balticommājaslapās' (missing space) is given as 'Balticom mājaslapās'; §12.24 lacks its
# verb in the source and is kept verbatim.
LEGITIMATE_INTERESTS = [
    {
        "clause": "12.1",
        "name_lv": "veikt komercdarbību",
        "name_en": "To conduct business",
        "name_ru": "Осуществлять коммерческую деятельность",
    },
    {
        "clause": "12.2",
        "name_lv": "sniegt elektronisko sakaru un citus pakalpojumus, pārdot preces",
        "name_en": "To provide electronic communications and other services and to sell goods",
        "name_ru": "Предоставлять услуги электронной связи и другие услуги, продавать товары",
    },
    {
        "clause": "12.3",
        "name_lv": "pārbaudīt Klienta identitāti pirms līguma noslēgšanas",
        "name_en": "To verify the customer's identity before concluding a contract",
        "name_ru": "Проверять личность Клиента до заключения договора",
    },
    {
        "clause": "12.4",
        "name_lv": "nodrošināt līguma saistību izpildi",
        "name_en": "To ensure performance of contractual obligations",
        "name_ru": "Обеспечивать исполнение договорных обязательств",
    },
    {
        "clause": "12.5",
        "name_lv": (
            "novērst nepamatotus finansiālus riskus savai komercdarbībai (t.sk., veikt kredītriska "
            "novērtējumu pirms preču un pakalpojumu pārdošanas un līguma izpildes laikā)"
        ),
        "name_en": (
            "To prevent unjustified financial risks to its business (incl. assessing credit risk before "
            "selling goods and services and while the contract is performed)"
        ),
        "name_ru": (
            "Предотвращать необоснованные финансовые риски для своей коммерческой деятельности (в т.ч. "
            "оценивать кредитный риск до продажи товаров и услуг и в ходе исполнения договора)"
        ),
    },
    {
        "clause": "12.6",
        "name_lv": (
            "saglabāt Klientu pieteikumus un iesniegumus par preču pirkumu un pakalpojumu sniegšanu, citus "
            "pieteikumus un iesniegumus, piezīmes par tiem, t.sk., kas veikti rakstveidā vai mutiski, "
            "zvanot uz zvanu centriem, mājaslapās un pašapkalpošanās vidē"
        ),
        "name_en": (
            "To keep customers' orders and applications on purchases of goods and provision of services, "
            "other orders and applications and notes on them, incl. those made in writing or orally, by "
            "calling the call centres, on websites and in the self-service environment"
        ),
        "name_ru": (
            "Сохранять заявки и заявления Клиентов о покупке товаров и предоставлении услуг, другие заявки "
            "и заявления, заметки о них, в т.ч. поданные письменно или устно, по телефону колл-центров, на "
            "веб-сайтах и в среде самообслуживания"
        ),
    },
    {
        "clause": "12.7",
        "name_lv": (
            "veikt klientu apkalpošanas kvalitātes kontroli, t.sk., veicot sarunas ar Klientu ierakstu par "
            "pakalpojumu darbības nodrošināšanu, uzturēšanu, norēķiniem u.c. un ieraksta glabāšanu"
        ),
        "name_en": (
            "To control the quality of customer service, incl. by recording conversations with the customer "
            "about service operation, maintenance, billing, etc. and storing the recordings"
        ),
        "name_ru": (
            "Контролировать качество обслуживания клиентов, в т.ч. путём записи разговоров с Клиентом об "
            "обеспечении работы услуг, их обслуживании, расчётах и т.д. и хранения записей"
        ),
    },
    {
        "clause": "12.8",
        "name_lv": (
            "organizēt pakalpojuma līgumsaistību izpildi, t.sk., veicot sarunas ar Klientu ierakstu un "
            "ieraksta glabāšanu"
        ),
        "name_en": (
            "To organise performance of the service contract, incl. by recording conversations with the "
            "customer and storing the recordings"
        ),
        "name_ru": (
            "Организовывать исполнение договорных обязательств по услугам, в т.ч. путём записи разговоров с "
            "Клиентом и хранения записей"
        ),
    },
    {
        "clause": "12.9",
        "name_lv": (
            "nodrošināt mutiski noslēgta līguma noslēgšanas fakta un satura, klienta izteikta prasījuma, "
            "piekrišanas fakta un satura pierādījumus, t.sk., veicot sarunas ar Klientu ierakstu un "
            "glabāšanu"
        ),
        "name_en": (
            "To secure evidence of the conclusion and content of an orally concluded contract, of a claim "
            "made by the customer and of the fact and content of a consent, incl. by recording and storing "
            "conversations with the customer"
        ),
        "name_ru": (
            "Обеспечивать доказательства факта заключения и содержания устно заключённого договора, "
            "заявленного клиентом требования, факта и содержания согласия, в т.ч. путём записи и хранения "
            "разговоров с Клиентом"
        ),
    },
    {
        "clause": "12.10",
        "name_lv": (
            "izsūtīt reģistrētajiem priekšapmaksas pakalpojumu klientiem komerciālus piedāvājumus e-pastā "
            "par līdzīgiem pakalpojumiem kādus Klients lieto vai ir iegādājies iepriekšējo divu gadu "
            "periodā, ja klients nav atteicies no šādu ziņu saņemšanas"
        ),
        "name_en": (
            "To email registered prepaid-service customers commercial offers about services similar to "
            "those the customer uses or has bought in the previous two years, unless the customer has opted "
            "out of such messages"
        ),
        "name_ru": (
            "Направлять зарегистрированным клиентам предоплаченных услуг коммерческие предложения по "
            "электронной почте об услугах, аналогичных тем, которыми Клиент пользуется или которые приобрёл "
            "за предыдущие два года, если клиент не отказался от получения таких сообщений"
        ),
    },
    {
        "clause": "12.11",
        "name_lv": (
            "analizēt Balticom mājaslapu, interneta vietņu un mobilo lietojumu darbību, izstrādāt un "
            "ieviest to uzlabojumus"
        ),
        "name_en": (
            "To analyse how Balticom's websites, web portals and mobile applications work and to develop "
            "and implement improvements to them"
        ),
        "name_ru": (
            "Анализировать работу сайтов, интернет-ресурсов и мобильных приложений Balticom, разрабатывать "
            "и внедрять их улучшения"
        ),
    },
    {
        "clause": "12.12",
        "name_lv": (
            "administrēt Klienta kontu Balticom mājaslapās, interneta vietnēs un mobilajos lietojumos"
        ),
        "name_en": (
            "To administer the customer's account on Balticom's websites, web portals and mobile applications"
        ),
        "name_ru": (
            "Администрировать учётную запись Клиента на сайтах, интернет-ресурсах и в мобильных приложениях "
            "Balticom"
        ),
    },
    {
        "clause": "12.13",
        "name_lv": "veikt darbības Klientu noturēšanai",
        "name_en": "To take measures to retain customers",
        "name_ru": "Принимать меры по удержанию Клиентов",
    },
    {
        "clause": "12.14",
        "name_lv": "segmentēt klientu datu bāzi pakalpojumu efektīvākai nodrošināšanai",
        "name_en": "To segment the customer database so that services can be provided more efficiently",
        "name_ru": "Сегментировать клиентскую базу данных для более эффективного предоставления услуг",
    },
    {
        "clause": "12.15",
        "name_lv": "izstrādāt un attīstīt preces un pakalpojumus",
        "name_en": "To design and develop goods and services",
        "name_ru": "Разрабатывать и развивать товары и услуги",
    },
    {
        "clause": "12.16",
        "name_lv": "reklamēt savas preces un pakalpojumus",
        "name_en": "To advertise its goods and services",
        "name_ru": "Рекламировать свои товары и услуги",
    },
    {
        "clause": "12.17",
        "name_lv": (
            "nosūtīt citus ziņojumus par līguma izpildes gaitu un līguma izpildei būtiskiem notikumiem, kā "
            "arī veikt Klientu aptaujas par precēm un pakalpojumiem un to lietošanas pieredzi (NPS)"
        ),
        "name_en": (
            "To send other messages about the progress of the contract and events relevant to its "
            "performance, and to survey customers about goods and services and their experience of using "
            "them (NPS)"
        ),
        "name_ru": (
            "Направлять иные сообщения о ходе исполнения договора и существенных для его исполнения "
            "событиях, а также проводить опросы Клиентов о товарах и услугах и опыте их использования (NPS)"
        ),
    },
    {
        "clause": "12.18",
        "name_lv": "nodrošināt elektronisko sakaru tīklu uzturēšanu un attīstību",
        "name_en": "To ensure the maintenance and development of electronic communications networks",
        "name_ru": "Обеспечивать обслуживание и развитие сетей электронной связи",
    },
    {
        "clause": "12.19",
        "name_lv": "uzturēt un attīstīt sakaru tīklu",
        "name_en": "To maintain and develop the communications network",
        "name_ru": "Обслуживать и развивать сеть связи",
    },
    {
        "clause": "12.20",
        "name_lv": (
            "uzraudzīt sakaru tīkla darbību, lai konstatētu tehniskas problēmas, kā arī prettiesiskas "
            "darbības un tās novērstu"
        ),
        "name_en": (
            "To monitor the communications network in order to detect and eliminate technical problems and "
            "unlawful activities"
        ),
        "name_ru": (
            "Контролировать работу сети связи, чтобы выявлять и устранять технические проблемы, а также "
            "противоправные действия"
        ),
    },
    {
        "clause": "12.21",
        "name_lv": "novērst krāpniecību",
        "name_en": "To prevent fraud",
        "name_ru": "Предотвращать мошенничество",
    },
    {
        "clause": "12.22",
        "name_lv": "nodrošināt korporatīvo pārvaldību, finanšu un biznesa uzskaiti un analītiku",
        "name_en": "To ensure corporate governance, financial and business accounting and analytics",
        "name_ru": "Обеспечивать корпоративное управление, финансовый и бизнес-учёт и аналитику",
    },
    {
        "clause": "12.23",
        "name_lv": "nodrošināt efektīvus uzņēmuma pārvaldības procesus",
        "name_en": "To ensure efficient company management processes",
        "name_ru": "Обеспечивать эффективные процессы управления предприятием",
    },
    {
        "clause": "12.24",
        "name_lv": "pakalpojumu sniegšanas un preču pārdošanas, un piegādes efektivitāti",
        "name_en": "(To ensure) efficient provision of services and sale and delivery of goods",
        "name_ru": "(Обеспечивать) эффективность предоставления услуг, продажи и доставки товаров",
    },
    {
        "clause": "12.25",
        "name_lv": "nodrošināt un uzlabot pakalpojumu kvalitāti",
        "name_en": "To ensure and improve the quality of services",
        "name_ru": "Обеспечивать и повышать качество услуг",
    },
    {
        "clause": "12.26",
        "name_lv": "administrēt maksājumus",
        "name_en": "To administer payments",
        "name_ru": "Администрировать платежи",
    },
    {
        "clause": "12.27",
        "name_lv": "administrēt neveiktus maksājumus",
        "name_en": "To administer unpaid (missed) payments",
        "name_ru": "Администрировать неосуществлённые платежи",
    },
    {
        "clause": "12.28",
        "name_lv": (
            "vērsties valsts pārvaldes un operatīvās darbības iestādēs un tiesā savu tiesisko interešu "
            "aizsardzībai"
        ),
        "name_en": (
            "To apply to state administration and law-enforcement authorities and to the courts to protect "
            "its legal interests"
        ),
        "name_ru": (
            "Обращаться в органы государственного управления, органы оперативной деятельности и в суд для "
            "защиты своих законных интересов"
        ),
    },
    {
        "clause": "12.29",
        "name_lv": "informēt sabiedrību par savu darbību",
        "name_en": "To inform the public about its activities",
        "name_ru": "Информировать общественность о своей деятельности",
    },
]

# §24: the six sources of personal data, in the policy's order.
DATA_SOURCES = [
    {
        "code": "customer",
        "clause": "24.1",
        "name_lv": "no Klienta",
        "name_en": "From the customer",
        "name_ru": "От Клиента",
    },
    {
        "code": "information_systems",
        "clause": "24.2",
        "name_lv": "no Balticom informācijas sistēmām",
        "name_en": "From Balticom's information systems",
        "name_ru": "Из информационных систем Balticom",
    },
    {
        "code": "intrusion_detection",
        "clause": "24.3",
        "name_lv": "no ielaušanās aizsardzības un atklāšanas programmas",
        "name_en": "From intrusion prevention and detection software",
        "name_ru": "Из программ защиты от вторжений и их обнаружения",
    },
    {
        "code": "credit_history_databases",
        "clause": "24.4",
        "name_lv": "no kredītvēstures datubāzēm",
        "name_en": "From credit-history databases",
        "name_ru": "Из баз данных кредитной истории",
    },
    {
        "code": "partners",
        "clause": "24.5",
        "name_lv": "no Balticom sadarbības partneriem",
        "name_en": "From Balticom's business partners",
        "name_ru": "От деловых партнёров Balticom",
    },
    {
        "code": "public_databases",
        "clause": "24.6",
        "name_lv": (
            "no publiski pieejamām datu bāzēm (www.zemesgramata.lv; www.kadastrs.lv; www.lursoft.lv u.c.)"
        ),
        "name_en": (
            "From publicly available databases (land register www.zemesgramata.lv; cadastre "
            "www.kadastrs.lv; company data www.lursoft.lv, etc.)"
        ),
        "name_ru": (
            "Из общедоступных баз данных (земельная книга www.zemesgramata.lv; кадастр www.kadastrs.lv; "
            "данные о компаниях www.lursoft.lv и др.)"
        ),
    },
]

# Recipient categories: processors (§19-20), third parties and authorities (§26.1, §26.3, §26.4),
# processors in third countries (§28-29). role: processor | third_party | authority.
RECIPIENTS = [
    {
        "code": "group_companies",
        "role": "processor",
        "country": "LV",
        "third_country": False,
        "safeguard": "",
        "clause": "19",
        "name_lv": "Balticom grupas uzņēmumi",
        "name_en": "Balticom group companies",
        "name_ru": "Компании группы Balticom",
    },
    {
        "code": "installation_partners",
        "role": "processor",
        "country": "LV",
        "third_country": False,
        "safeguard": "",
        "clause": "19",
        "name_lv": "sadarbības partneri pakalpojumu ierīkošanas darbu veikšanai",
        "name_en": "Partners carrying out service installation works",
        "name_ru": "Партнёры, выполняющие работы по подключению услуг",
    },
    {
        "code": "delivery_partners",
        "role": "processor",
        "country": "LV",
        "third_country": False,
        "safeguard": "",
        "clause": "19",
        "name_lv": "sadarbības partneri preču piegādei",
        "name_en": "Partners delivering goods",
        "name_ru": "Партнёры по доставке товаров",
    },
    {
        "code": "invoice_delivery",
        "role": "processor",
        "country": "LV",
        "third_country": False,
        "safeguard": "",
        "clause": "19",
        "name_lv": "sadarbības partneri rēķinu izsūtīšanai",
        "name_en": "Partners sending out invoices",
        "name_ru": "Партнёры по рассылке счетов",
    },
    {
        "code": "banks",
        "role": "third_party",
        "country": "LV",
        "third_country": False,
        "safeguard": "",
        "clause": "26.1",
        "name_lv": "bankas norēķinu ietvaros",
        "name_en": "Banks (for settling payments)",
        "name_ru": "Банки (в рамках расчётов)",
    },
    {
        "code": "electricity_dso",
        "role": "third_party",
        "country": "LV",
        "third_country": False,
        "safeguard": "",
        "clause": "26.1",
        "name_lv": "sadales tīkla operators elektroenerģijas pakalpojuma ietvaros",
        "name_en": "Electricity distribution system operator (for the electricity service)",
        "name_ru": "Оператор распределительной сети (в рамках услуги электроснабжения)",
    },
    {
        "code": "law_entitled_persons",
        "role": "authority",
        "country": "LV",
        "third_country": False,
        "safeguard": "",
        "clause": "26.3",
        "name_lv": (
            "ārējos normatīvajos aktos paredzētās personas (t.sk. operatīvās darbības subjekti) pēc "
            "pamatota pieprasījuma"
        ),
        "name_en": "Persons entitled by law (incl. law-enforcement bodies), on justified request",
        "name_ru": (
            "Лица, предусмотренные нормативными актами (в т.ч. субъекты оперативной деятельности), по "
            "обоснованному запросу"
        ),
    },
    {
        "code": "courts_state_institutions",
        "role": "authority",
        "country": "LV",
        "third_country": False,
        "safeguard": "",
        "clause": "26.4",
        "name_lv": "tiesa vai citas valsts institūcijas (Balticom leģitīmo interešu aizsardzībai)",
        "name_en": "Courts and other state institutions (to defend Balticom's legitimate interests)",
        "name_ru": "Суд и другие государственные учреждения (для защиты законных интересов Balticom)",
    },
    {
        "code": "third_country_processors",
        "role": "processor",
        "country": "",
        "third_country": True,
        "safeguard": (
            "Level of protection equivalent to Balticom's (§29): EU adequacy decision (GDPR Art. 45) or "
            "standard contractual clauses (GDPR Art. 46(2)(c))"
        ),
        "clause": "28",
        "name_lv": (
            "sadarbības partneri trešajās valstīs - izstrādātāji vai pakalpojumu nodrošinātāji datu "
            "apstrādātāja statusā"
        ),
        "name_en": (
            "Partners in third countries (outside the EU/EEA): developers or service providers acting as "
            "processors"
        ),
        "name_ru": (
            "Партнёры в третьих странах (за пределами ЕС/ЕЭЗ): разработчики или поставщики услуг в статусе "
            "обработчика данных"
        ),
    },
]

# §68-71: editions of the policy; a consent is linked to the edition in force when it was given.
POLICY_VERSIONS = [
    {
        "label": "2018-05-25",
        "effective_from": "2018-05-25",
        "text": (
            "Earlier edition of the Balticom privacy policy, in force from 25 May 2018 (the date the GDPR "
            "became applicable) until it was replaced by the edition in force from 20 January 2023 (§70). "
            "Its text is not part of the source document: under §69 and §71 previous editions are kept and "
            "published as PDFs on the Balticom website. Consents given before 20 January 2023 are linked to "
            "this version."
        ),
    },
    {
        "label": "2023-01-20",
        "effective_from": "2023-01-20",
        "text": (
            "Current edition of the Balticom privacy policy. The document is dated 10/10/2023 but states "
            "(§70) that it is in force from 20 January 2023, replacing the previously approved edition. It "
            "names AS Balticom as controller (§1-2) and covers data subjects (§5), processing purposes "
            "(§9), legal bases (§11) and 29 legitimate interests (§12), automated decisions and processors "
            "(§16-20), security measures (§22), data sources (§24), recipients and third-country processors "
            "(§26-29), retention (§31-34: invoices at least 5 years, audit records at least 1 year or 18 "
            "months, call recordings 6 months, prepaid-customer data 2 years after use ends), data-subject "
            "rights and request channels (§38-44), consent and its withdrawal (§46-50), communication and "
            "commercial notices (§52-61), cookies (§62-66) and the 32 data categories of Annex 1."
        ),
    },
]

# The register of processing per Annex 1 category (GDPR Art. 30, Art. 15(1)): purposes (§9), legal bases
# (§11), legitimate interests (§12), sources (§24), recipients (§19–29), how long it is kept (§31–34) and
# automated decisions (§16–18). Filled by `sync` where a category's register is empty; from then on the
# DPO keeps it in the admin (data categories), and every access answer is generated from what is there.
RETENTION_TEXTS = {
    "customer": {
        "rule": "prepaid_customers",
        "lv": (
            "Kamēr ir spēkā līgums un pēc tam, kamēr pastāv kāds no 31. punkta pamatiem (prasījumi, "
            "noilgums, likumā noteikts pienākums, piekrišana); tikai priekšapmaksas pakalpojumu klientu "
            "datus — 2 gadus pēc pakalpojuma lietošanas beigām (34. punkts)."
        ),
        "en": (
            "While the contract is in force and then as long as a basis of §31 remains (claims, limitation "
            "periods, a legal duty, a consent); data of customers with prepaid services only: 2 years after "
            "the end of the service use (§34)."
        ),
        "ru": (
            "Пока действует договор, а затем пока сохраняется одно из оснований пункта 31 (требования, "
            "срок давности, обязанность по закону, согласие); данные клиентов только предоплаченных услуг "
            "— 2 года после окончания пользования услугой (пункт 34)."
        ),
    },
    "invoices": {
        "rule": "invoices",
        "lv": (
            "Rēķinus glabājam 5 gadus no rēķina datuma (Grāmatvedības likums, 31. punkts) un, kamēr par tiem "
            "ir neapmaksāts parāds."
        ),
        "en": (
            "Invoices are kept 5 years from the invoice date (Accounting Law, §31) and while a debt on them "
            "is open."
        ),
        "ru": (
            "Счета хранятся 5 лет с даты счёта (Закон о бухгалтерском учёте, пункт 31) и пока по ним есть "
            "непогашенный долг."
        ),
    },
    "recordings": {
        "rule": "recordings",
        "lv": "6 mēnešus pēc ieraksta vai sarakstes datuma, pēc tam tos dzēšam (33. punkts).",
        "en": "6 months after the date of the recording or correspondence, then deleted (§33).",
        "ru": "6 месяцев с даты записи или переписки, затем удаляются (пункт 33).",
    },
    "consent": {
        "rule": "",
        "lv": (
            "Kamēr piekrišana ir spēkā; jūsu lēmumu vēsturi glabājam kā pierādījumu, kamēr esat mūsu klients "
            "(31. un 49. punkts)."
        ),
        "en": (
            "While the consent is in force; the record of your decisions is kept as evidence while you are "
            "our customer (§31, §49)."
        ),
        "ru": (
            "Пока согласие действует; историю ваших решений храним как доказательство, пока вы наш клиент "
            "(пункты 31 и 49)."
        ),
    },
    "evidence": {
        "rule": "",
        "lv": (
            "Iesniegumus, iebildumus un pieprasījumus glabājam kā pierādījumu, kamēr iespējams prasījums; "
            "pēc dzēšanas tie paliek anonimizēti (31. punkts)."
        ),
        "en": (
            "Applications, objections and requests are kept as evidence while a claim is possible; after an "
            "erasure they stay anonymised (§31)."
        ),
        "ru": (
            "Заявления, возражения и запросы храним как доказательство, пока возможно требование; после "
            "удаления они остаются в обезличенном виде (пункт 31)."
        ),
    },
    "audit": {
        "rule": "audit_history",
        "lv": "Vismaz 1 gadu, paaugstinātas drošības sistēmās vismaz 18 mēnešus (32. punkts).",
        "en": "At least 1 year, in systems of heightened security at least 18 months (§32).",
        "ru": "Не менее 1 года, в системах повышенной безопасности не менее 18 месяцев (пункт 32).",
    },
    "law": {
        "rule": "",
        "lv": "Tik ilgi, cik to prasa normatīvie akti (glabājamie dati, 9.4.1. un 31. punkts).",
        "en": "As long as the law requires (retained data, §9.4.1 and §31).",
        "ru": "Столько, сколько требуют нормативные акты (хранимые данные, пункты 9.4.1 и 31).",
    },
    "generic": {
        "rule": "",
        "lv": (
            "Kamēr pastāv kāds no 31. punkta pamatiem (spēkā esošs līgums, leģitīmā interese, piemēram, "
            "prasījums vai noilgums, likumā noteikts pienākums, piekrišana); pēc tam dzēšam."
        ),
        "en": (
            "As long as a basis of §31 remains (a contract in force, a legitimate interest such as a claim "
            "or a limitation period, a legal duty, a consent); then deleted."
        ),
        "ru": (
            "Пока сохраняется одно из оснований пункта 31 (действующий договор, законный интерес, например "
            "требование или срок давности, обязанность по закону, согласие); затем удаляются."
        ),
    },
}

AUTOMATED_SOLVENCY = {
    "lv": (
        "Pieteikumu pakalpojumam vai precei uz nomaksu var automātiski apstiprināt vai atteikt pēc "
        "maksātspējas pārbaudes (kredītvēstures datubāzes, neapmaksāti rēķini). Sekas: pieteikums tiek "
        "apstiprināts vai atteikts. Jums ir tiesības prasīt, lai lēmumu pārskata cilvēks, izteikt savu "
        "viedokli un lēmumu apstrīdēt (16.–18. punkts)."
    ),
    "en": (
        "An application for a service or for goods on instalments may be approved or refused automatically "
        "after a solvency check (credit-history databases, unpaid invoices). Effect: the application is "
        "approved or refused. You may ask for a person to review the decision, give your view and contest "
        "it (§16–18)."
    ),
    "ru": (
        "Заявка на услугу или товар в рассрочку может быть автоматически одобрена или отклонена после "
        "проверки платёжеспособности (базы кредитной истории, неоплаченные счета). Последствие: заявка "
        "одобряется или отклоняется. Вы вправе потребовать, чтобы решение пересмотрел человек, высказать "
        "своё мнение и оспорить решение (пункты 16–18)."
    ),
}

_SERVICE = ["9.1.1", "9.1.2", "9.1.3", "9.1.8", "9.1.11"]
_CUSTOMER_SOURCES = ["customer", "information_systems"]

#: number -> purposes (§9 codes), bases (§11 codes), interests (§12 clauses), sources (§24 codes),
#: recipients (codes), retention (RETENTION_TEXTS key), automated decisions (texts or None).
CATEGORY_REGISTER = {
    1: (
        ["9.1.1", "9.1.2", "9.1.8", "9.2.1", "9.4.2"],
        ["contract", "legal_obligation"],
        ["12.3"],
        ["customer", "public_databases"],
        [
            "group_companies",
            "installation_partners",
            "banks",
            "law_entitled_persons",
            "courts_state_institutions",
        ],
        "customer",
        None,
    ),
    2: (
        ["9.1.3", "9.1.8", "9.1.7", "9.1.11"],
        ["contract", "consent", "legitimate_interest"],
        ["12.10", "12.17"],
        ["customer"],
        [
            "group_companies",
            "installation_partners",
            "delivery_partners",
            "invoice_delivery",
            "law_entitled_persons",
        ],
        "customer",
        None,
    ),
    3: (
        ["9.1.1", "9.4.2"],
        ["legal_obligation", "contract"],
        [],
        ["customer", "public_databases"],
        ["law_entitled_persons"],
        "customer",
        None,
    ),
    4: (
        ["9.1.8", "9.1.3"],
        ["contract", "legitimate_interest"],
        ["12.4"],
        ["customer"],
        ["group_companies", "installation_partners"],
        "customer",
        None,
    ),
    5: (
        ["9.1.2", "9.1.8", "9.3.1", "9.3.2"],
        ["contract", "legitimate_interest"],
        ["12.1", "12.22"],
        ["information_systems"],
        ["group_companies", "third_country_processors"],
        "customer",
        None,
    ),
    6: (
        ["9.1.8", "9.1.12"],
        ["contract", "legitimate_interest"],
        ["12.12", "12.11"],
        ["customer", "information_systems"],
        ["third_country_processors"],
        "customer",
        None,
    ),
    7: (
        ["9.1.10", "9.3.1", "9.1.7"],
        ["legitimate_interest", "consent"],
        ["12.14", "12.13"],
        ["information_systems"],
        ["group_companies"],
        "generic",
        None,
    ),
    8: (
        _SERVICE,
        ["contract"],
        [],
        _CUSTOMER_SOURCES,
        ["group_companies", "installation_partners", "electricity_dso"],
        "customer",
        None,
    ),
    9: (
        ["9.1.3", "9.1.4", "9.1.5"],
        ["contract"],
        [],
        _CUSTOMER_SOURCES,
        ["installation_partners", "delivery_partners"],
        "customer",
        None,
    ),
    10: (
        ["9.1.2", "9.1.3", "9.1.11"],
        ["contract", "legal_obligation"],
        ["12.9"],
        _CUSTOMER_SOURCES,
        ["group_companies", "invoice_delivery", "electricity_dso", "courts_state_institutions"],
        "customer",
        None,
    ),
    11: (
        ["9.1.3", "9.1.11"],
        ["contract"],
        [],
        ["information_systems"],
        ["installation_partners", "delivery_partners"],
        "customer",
        None,
    ),
    12: (
        ["9.1.8", "9.1.9"],
        ["contract", "legitimate_interest"],
        ["12.23"],
        ["information_systems"],
        ["group_companies"],
        "generic",
        None,
    ),
    13: (
        ["9.1.8", "9.1.9"],
        ["contract", "legitimate_interest"],
        ["12.7", "12.8"],
        ["customer", "information_systems"],
        ["group_companies"],
        "recordings",
        None,
    ),
    14: (
        ["9.1.3", "9.1.5", "9.1.11"],
        ["contract", "legal_obligation"],
        [],
        _CUSTOMER_SOURCES,
        ["delivery_partners", "banks"],
        "invoices",
        None,
    ),
    15: (["9.1.3", "9.1.11"], ["contract"], [], ["information_systems"], ["banks"], "invoices", None),
    16: (
        ["9.1.2", "9.2.1", "9.1.11"],
        ["contract", "legitimate_interest"],
        ["12.5"],
        ["customer", "credit_history_databases"],
        ["banks"],
        "invoices",
        AUTOMATED_SOLVENCY,
    ),
    17: (
        ["9.2.1", "9.2.2"],
        ["legitimate_interest"],
        ["12.5", "12.27"],
        ["credit_history_databases", "information_systems"],
        ["courts_state_institutions"],
        "generic",
        AUTOMATED_SOLVENCY,
    ),
    18: (
        ["9.1.11", "9.2.2", "9.3.2"],
        ["contract", "legal_obligation", "legitimate_interest"],
        ["12.26", "12.27"],
        ["customer", "information_systems"],
        ["invoice_delivery", "banks", "courts_state_institutions", "law_entitled_persons"],
        "invoices",
        None,
    ),
    19: (
        ["9.1.4", "9.1.11", "9.4.1"],
        ["contract", "legal_obligation"],
        ["12.20"],
        ["information_systems"],
        ["law_entitled_persons", "electricity_dso"],
        "law",
        None,
    ),
    20: (
        ["9.1.4", "9.1.5", "9.1.8"],
        ["contract"],
        ["12.25"],
        _CUSTOMER_SOURCES,
        ["installation_partners"],
        "generic",
        None,
    ),
    21: (
        ["9.1.9", "9.1.8"],
        ["legal_obligation", "legitimate_interest"],
        ["12.6", "12.28"],
        ["customer"],
        ["courts_state_institutions", "law_entitled_persons"],
        "evidence",
        None,
    ),
    22: (
        ["9.3.7", "9.1.10"],
        ["consent", "legitimate_interest"],
        ["12.25"],
        ["customer"],
        ["group_companies"],
        "generic",
        None,
    ),
    23: (
        ["9.1.12", "9.5"],
        ["consent", "legitimate_interest"],
        ["12.11"],
        ["information_systems", "intrusion_detection"],
        ["third_country_processors"],
        "generic",
        None,
    ),
    24: (["9.1.7"], ["consent"], [], ["customer"], [], "generic", None),
    25: (
        ["9.5", "9.1.7"],
        ["legitimate_interest", "consent"],
        ["12.21"],
        ["information_systems"],
        ["law_entitled_persons"],
        "generic",
        None,
    ),
    26: (
        ["9.1.8", "9.1.2"],
        ["legitimate_interest"],
        ["12.7", "12.8", "12.9"],
        ["customer"],
        ["group_companies", "law_entitled_persons"],
        "recordings",
        None,
    ),
    27: (
        ["9.1.12", "9.5"],
        ["contract", "legitimate_interest"],
        ["12.12", "12.21"],
        ["information_systems", "intrusion_detection"],
        [],
        "audit",
        None,
    ),
    28: (["9.1.7", "9.1.10", "9.3.1"], ["consent"], [], ["customer"], ["group_companies"], "consent", None),
    29: (
        ["9.1.3", "9.1.4", "9.6"],
        ["contract", "legal_obligation"],
        ["12.18", "12.19"],
        ["customer", "public_databases"],
        ["installation_partners", "electricity_dso"],
        "customer",
        None,
    ),
    30: (
        ["9.1.4", "9.6", "9.5"],
        ["contract", "legitimate_interest"],
        ["12.18", "12.20"],
        ["information_systems"],
        ["installation_partners"],
        "generic",
        None,
    ),
    31: (
        ["9.4.1", "9.1.11", "9.5"],
        ["legal_obligation", "contract"],
        ["12.21"],
        ["information_systems"],
        ["law_entitled_persons"],
        "law",
        None,
    ),
    32: (
        ["9.1.4", "9.3.1", "9.1.6"],
        ["contract", "consent", "legitimate_interest"],
        ["12.15"],
        ["information_systems"],
        ["group_companies"],
        "generic",
        None,
    ),
}


# --- The sync ---------------------------------------------------------------------------------------

_NAMES = ("name_lv", "name_en", "name_ru")


def _fields(row: dict, *keys: str) -> dict:
    return {key: row[key] for key in (*_NAMES, *keys)}


def _registers() -> list[tuple[str, str, list[dict]]]:
    """(model, key field, the rows as field values), parents before children."""
    return [
        (
            "DataCategory",
            "number",
            [
                _fields(row, "number", "special", "examples_lv", "examples_en", "examples_ru")
                for row in DATA_CATEGORIES
            ],
        ),
        ("ProcessingPurpose", "code", [_fields(row, "code", "parent") for row in PROCESSING_PURPOSES]),
        ("LegalBasis", "code", [_fields(row, "code", "clause") for row in LEGAL_BASES]),
        (
            "LegitimateInterest",
            "clause",
            [
                {**_fields(row, "clause"), "position": position}
                for position, row in enumerate(LEGITIMATE_INTERESTS, start=1)
            ],
        ),
        ("DataSource", "code", [_fields(row, "code", "clause") for row in DATA_SOURCES]),
        (
            "Recipient",
            "code",
            [
                _fields(row, "code", "role", "country", "third_country", "safeguard", "clause")
                for row in RECIPIENTS
            ],
        ),
        (
            "PolicyVersion",
            "label",
            [{key: row[key] for key in ("label", "effective_from", "text")} for row in POLICY_VERSIONS],
        ),
    ]


def _create_missing(model, key: str, rows: list[dict], using: str) -> int:
    """Create the rows whose key is not in the table yet, in their order, without history (as the
    seeding always did: they are the policy's, not a staff member's change). Rows go in together until
    one needs a parent (§9's sub-purposes, by code) that is not in the table yet."""
    existing = set(model.objects.using(using).values_list(key, flat=True))
    missing = [dict(row) for row in rows if row[key] not in existing]
    parents: dict[str, int] = {}
    batch: list = []
    for row in missing:
        if "parent" in row:
            parent = row.pop("parent")
            if parent and parent not in parents:
                model.objects.using(using).bulk_create(batch)
                batch.clear()
                parents = dict(model.objects.using(using).values_list("code", "pk"))
            row["parent_id"] = parents[parent] if parent else None
        batch.append(model(**row))
    model.objects.using(using).bulk_create(batch)
    return len(missing)


def _fill_category_register(using: str) -> int:
    """The register of processing of each category whose register is still empty (a category just
    created, or one that predates the register): links and texts, as CATEGORY_REGISTER gives them. A
    kind of link a category already has is the DPO's and stays as it is. A few queries for all."""
    from django.apps import apps

    DataCategory = apps.get_model("privacy", "DataCategory")
    links = {  # field -> (model, key)
        "purposes": ("ProcessingPurpose", "code"),
        "legal_bases": ("LegalBasis", "code"),
        "legitimate_interests": ("LegitimateInterest", "clause"),
        "sources": ("DataSource", "code"),
        "recipients": ("Recipient", "code"),
    }
    pks = {
        field: dict(apps.get_model("privacy", model).objects.using(using).values_list(key, "pk"))
        for field, (model, key) in links.items()
    }
    empty = list(
        DataCategory.objects.using(using).filter(
            number__in=CATEGORY_REGISTER, retention_rule="", retention_en="", purposes=None
        )
    )
    if not empty:
        return 0
    texts_fields = [
        f"{kind}_{lang}" for kind in ("retention", "automated_decisions") for lang in ("lv", "en", "ru")
    ]
    for category in empty:
        *_, retention, automated = CATEGORY_REGISTER[category.number]
        texts = RETENTION_TEXTS[retention]
        category.retention_rule = texts["rule"]
        for lang in ("lv", "en", "ru"):
            setattr(category, f"retention_{lang}", texts[lang])
            setattr(category, f"automated_decisions_{lang}", (automated or {}).get(lang, ""))
    DataCategory.objects.using(using).bulk_update(empty, ["retention_rule", *texts_fields])
    ids = [category.pk for category in empty]
    for position, field in enumerate(links):
        through = getattr(DataCategory, field).through
        target = getattr(DataCategory, field).field.m2m_reverse_field_name()
        linked = set(
            through.objects.using(using)
            .filter(datacategory_id__in=ids)
            .values_list("datacategory_id", flat=True)
        )
        through.objects.using(using).bulk_create(
            [
                through(datacategory_id=category.pk, **{f"{target}_id": pks[field][key]})
                for category in empty
                if category.pk not in linked  # links of this kind are already the DPO's
                for key in CATEGORY_REGISTER[category.number][position]
                if key in pks[field]  # a row the DPO deleted stays out
            ]
        )
    return len(empty)


def sync(*, using: str = "default") -> dict[str, int]:
    """Create the missing rows of every register and fill the empty category registers; idempotent.
    Returns how many rows of each model were created (or filled)."""
    from django.apps import apps

    report = {
        name: _create_missing(apps.get_model("privacy", name), key, rows, using)
        for name, key, rows in _registers()
    }
    report["DataCategory register"] = _fill_category_register(using)
    return report
