"""The fixed wording of the documents, in Kazakh, Russian and English.

Each phrase is a template with named fields; ``text(key, language, **fields)``
fills it. Names of bodies that change with the country (the commission in the
genitive, the elected chamber) and with the kind of election are looked up
here by country and by ruleset family, with a neutral fallback, so that no
English word appears in a Kazakh or Russian document.
"""

from __future__ import annotations

from typing import Any

__all__ = ["COMMISSION", "ELECTIONS", "TEXT", "commission", "deputies", "election_phrase", "text"]

T = dict[str, str]

#: The commission that signs, in the case a title needs (ru, kk: genitive), by country.
COMMISSION: dict[str, T] = {
    "KZ": {"ru": "Центральной избирательной комиссии Республики Казахстан",
           "kk": "Қазақстан Республикасы Орталық сайлау комиссиясының",
           "en": "the Central Election Commission of the Republic of Kazakhstan"},
    "RU": {"ru": "Центральной избирательной комиссии Российской Федерации",
           "kk": "Ресей Федерациясы Орталық сайлау комиссиясының",
           "en": "the Central Election Commission of the Russian Federation"},
    "": {"ru": "избирательной комиссии", "kk": "сайлау комиссиясының", "en": "the election commission"},
}

#: The election, by ruleset family: ``ru_gen`` "выборов …", ``ru_dat`` "(по) выборам …",
#: ``kk`` "… сайлау" (suffixes follow), ``en`` "the election of …".
ELECTIONS: dict[str, T] = {
    "kz-mazhilis": {
        "ru_gen": "выборов депутатов Мажилиса Парламента Республики Казахстан, избираемых по партийным спискам",
        "ru_dat": "выборам депутатов Мажилиса Парламента Республики Казахстан, избираемых по партийным спискам",
        "kk": "партиялық тізімдер бойынша сайланатын Қазақстан Республикасы Парламенті Мәжілісінің депутаттарын "
              "сайлау",
        "en": "the election of deputies of the Mazhilis of the Parliament of the Republic of Kazakhstan elected by "
              "party lists",
    },
    "ru-duma": {
        "ru_gen": "выборов депутатов Государственной Думы Федерального Собрания Российской Федерации",
        "ru_dat": "выборам депутатов Государственной Думы Федерального Собрания Российской Федерации",
        "kk": "Ресей Федерациясы Федералдық Жиналысының Мемлекеттік Думасы депутаттарын сайлау",
        "en": "the election of deputies of the State Duma of the Federal Assembly of the Russian Federation",
    },
    "ru-president": {
        "ru_gen": "выборов Президента Российской Федерации",
        "ru_dat": "выборам Президента Российской Федерации",
        "kk": "Ресей Федерациясының Президентін сайлау",
        "en": "the election of the President of the Russian Federation",
    },
    "ru-referendum": {
        "ru_gen": "общероссийского голосования по вопросу одобрения изменений в Конституцию Российской Федерации",
        # "об итогах голосования по вопросу …", as the 2020 protocol reads.
        "ru_dat": "вопросу одобрения изменений в Конституцию Российской Федерации",
        "kk": "Ресей Федерациясының Конституциясына өзгерістерді мақұлдау мәселесі бойынша жалпыресейлік дауыс беру",
        "en": "the all-Russian vote on the amendments to the Constitution of the Russian Federation",
    },
    "": {"ru_gen": "выборов по партийным спискам", "ru_dat": "выборам по партийным спискам",
         "kk": "партиялық тізімдер бойынша сайлау", "en": "the party-list election"},
    # Neither a known family nor a party list: a candidate election or a vote on a question.
    "other": {"ru_gen": "голосования", "ru_dat": "голосованию", "kk": "дауыс беру", "en": "the vote"},
}

TEXT: dict[str, T] = {
    # -- every document ---------------------------------------------------------------------------
    "page": {"ru": "Страница {n} из {m}", "kk": "{m} беттің {n}-беті", "en": "Page {n} of {m}"},
    "hash": {"ru": "SHA-256 цифровых данных: {digest}", "kk": "Сандық деректердің SHA-256: {digest}",
             "en": "SHA-256 of the figures: {digest}"},
    "hash_note": {
        "ru": "Контрольная сумма SHA-256 вычислена по цифровым данным этого документа (вложение figures.json, "
              "канонический JSON); её можно пересчитать командой: {command}",
        "kk": "SHA-256 бақылау сомасы осы құжаттың сандық деректерінен (figures.json қосымшасы, канондық JSON) "
              "есептелген; оны мына пәрменмен қайта есептеуге болады: {command}",
        "en": "The SHA-256 is computed over this document's figures (the attachment figures.json, canonical "
              "JSON); recompute it with: {command}",
    },
    "file": {"ru": "ФАЙЛ.pdf", "kk": "ФАЙЛ.pdf", "en": "FILE.pdf"},
    "synthetic": {
        "ru": "СИНТЕТИЧЕСКИЕ ДАННЫЕ: цифры сгенерированы, это не настоящие протоколы. Документ не является "
              "официальным.",
        "kk": "СИНТЕТИКАЛЫҚ ДЕРЕКТЕР: бұл сандар жасанды, нақты хаттамалар емес. Құжат ресми емес.",
        "en": "SYNTHETIC DATA: these figures are generated, not real protocols. This is not an official document.",
    },
    "polling_day": {"ru": "День голосования: {date}", "kk": "Дауыс беру күні: {date}", "en": "Polling day: {date}"},
    "chair": {"ru": "Председатель", "kk": "Төраға", "en": "Chair"},
    "deputy": {"ru": "Заместитель председателя", "kk": "Төрағаның орынбасары", "en": "Deputy chair"},
    "secretary": {"ru": "Секретарь", "kk": "Хатшы", "en": "Secretary"},
    "members": {"ru": "Члены комиссии", "kk": "Комиссия мүшелері", "en": "Members of the commission"},
    "signature": {"ru": "(подпись)", "kk": "(қолы)", "en": "(signature)"},
    "full_name": {"ru": "(фамилия, инициалы)", "kk": "(тегі, аты-жөнінің бас әріптері)", "en": "(surname, initials)"},
    "seal": {"ru": "М.П.", "kk": "М.О.", "en": "Seal"},
    "party": {"ru": "Политическая партия", "kk": "Саяси партия", "en": "Political party"},
    "number": {"ru": "№", "kk": "№", "en": "No."},
    "votes": {"ru": "Голоса", "kk": "Дауыстар", "en": "Votes"},
    "percent_valid": {"ru": "% от действительных", "kk": "Жарамдылардан %", "en": "% of valid"},
    "seats": {"ru": "Мандаты", "kk": "Мандаттар", "en": "Seats"},
    "total": {"ru": "Итого", "kk": "Барлығы", "en": "Total"},
    "registered": {"ru": "Число избирателей, включённых в списки избирателей",
                   "kk": "Сайлаушылар тізімдеріне енгізілген сайлаушылар саны", "en": "Voters on the lists"},
    "ballots_cast": {"ru": "Число избирателей, принявших участие в голосовании",
                     "kk": "Дауыс беруге қатысқан сайлаушылар саны", "en": "Voters who took part in the voting"},
    "valid": {"ru": "Число действительных избирательных бюллетеней", "kk": "Жарамды сайлау бюллетеньдерінің саны",
              "en": "Valid ballots"},
    "invalid": {"ru": "Число недействительных избирательных бюллетеней",
                "kk": "Жарамсыз сайлау бюллетеньдерінің саны", "en": "Invalid ballots"},
    "turnout": {"ru": "Явка избирателей", "kk": "Сайлаушылардың дауыс беруге қатысуы", "en": "Turnout"},
    "not_known": {"ru": "нет данных", "kk": "деректер жоқ", "en": "not known"},
    # -- the protocol on the distribution of seats -------------------------------------------------
    "seat_title": {
        "ru": "Протокол {commission} о распределении депутатских мандатов между политическими партиями по итогам "
              "{election}",
        "kk": "{commission} {election} қорытындылары бойынша саяси партиялар арасында депутаттық мандаттарды бөлу "
              "туралы хаттамасы",
        "en": "Protocol of {commission} on the distribution of deputy mandates among political parties following "
              "{election}",
    },
    "s_votes": {"ru": "1. Итоги голосования", "kk": "1. Дауыс беру қорытындылары", "en": "1. Results of the vote"},
    "s_lists": {"ru": "2. Голоса, поданные за партийные списки", "kk": "2. Партиялық тізімдер үшін берілген дауыстар",
                "en": "2. Votes cast for the party lists"},
    "s_threshold": {"ru": "3. Проходной порог", "kk": "3. Өту шегі", "en": "3. The threshold"},
    "s_quota": {"ru": "4. Первое избирательное частное (квота)", "kk": "4. Бірінші сайлау бөліндісі (квота)",
                "en": "4. The first electoral quotient (quota)"},
    "s_distribution": {"ru": "5. Распределение мандатов", "kk": "5. Мандаттарды бөлу", "en": "5. Distribution of seats"},
    "s_decisions": {"ru": "6. Решения при равенстве и особые случаи", "kk": "6. Теңдік кезіндегі шешімдер және ерекше жағдайлар",
                    "en": "6. Ties and special cases"},
    "s_result": {"ru": "{n}. Итог распределения мандатов", "kk": "{n}. Мандаттарды бөлудің қорытындысы",
                 "en": "{n}. The result"},
    "threshold_share": {
        "ru": "В распределении мандатов участвуют партийные списки, получившие {cmp} {share} от числа {base}: "
              "{share} × {base_votes} = {line} голосов; списку необходимо не менее {minimum} голосов.",
        "kk": "Мандаттарды бөлуге {base} {share} {cmp} дауыс алған партиялық тізімдер қатысады: "
              "{share} × {base_votes} = {line} дауыс; тізімге кемінде {minimum} дауыс қажет.",
        "en": "The lists that received {cmp} {share} of {base} take part in the distribution of seats: "
              "{share} × {base_votes} = {line} votes; a list needs at least {minimum} votes.",
    },
    "threshold_votes": {
        "ru": "В распределении мандатов участвуют партийные списки, получившие не менее {minimum} голосов.",
        "kk": "Мандаттарды бөлуге кемінде {minimum} дауыс алған партиялық тізімдер қатысады.",
        "en": "The lists that received at least {minimum} votes take part in the distribution of seats.",
    },
    "no_threshold": {"ru": "Проходной порог не установлен: в распределении участвуют все списки.",
                     "kk": "Өту шегі белгіленбеген: бөлуге барлық тізімдер қатысады.",
                     "en": "There is no threshold: every list takes part."},
    "cmp_inclusive": {"ru": "не менее", "kk": "және одан көп", "en": "at least"},
    "cmp_strict": {"ru": "более", "kk": "астам", "en": "more than"},
    "base_valid": {"ru": "действительных голосов", "kk": "жарамды дауыстар санының", "en": "the valid votes"},
    "base_ballots_cast": {"ru": "избирателей, принявших участие в голосовании",
                          "kk": "дауыс беруге қатысқан сайлаушылар санының",
                          "en": "the voters who took part in the voting"},
    "base_registered": {"ru": "избирателей, включённых в списки избирателей",
                        "kk": "тізімдерге енгізілген сайлаушылар санының", "en": "the voters on the lists"},
    "share": {"ru": "Доля", "kk": "Үлесі", "en": "Share"},
    "test": {"ru": "Сравнение с порогом", "kk": "Шекпен салыстыру", "en": "Against the line"},
    "verdict": {"ru": "Итог", "kk": "Нәтижесі", "en": "Outcome"},
    "passed": {"ru": "преодолел", "kk": "өтті", "en": "passed"},
    "not_passed": {"ru": "не преодолел", "kk": "өтпеді", "en": "not passed"},
    "runner_admitted": {"ru": "допущен (следующий по числу голосов)", "kk": "жіберілді (дауыс саны бойынша келесі)",
                        "en": "admitted (next largest vote)"},
    "admitted_otherwise": {"ru": "допущен по иному основанию закона", "kk": "заңның басқа негізі бойынша жіберілді",
                           "en": "admitted under another clause of the law"},
    "against_all": {"ru": "учитывается, мандатов не получает", "kk": "есепке алынады, мандат алмайды",
                    "en": "counted, takes no seats"},
    "quota_hare": {
        "ru": "Сумма голосов, поданных за партийные списки, допущенные к распределению мандатов, делённая на число "
              "распределяемых мандатов ({seats}): {fraction} {approx} {decimal}.",
        "kk": "Мандаттарды бөлуге жіберілген партиялық тізімдер үшін берілген дауыстар сомасы бөлінетін мандаттар "
              "санына ({seats}) бөлінеді: {fraction} {approx} {decimal}.",
        "en": "The votes cast for the lists admitted to the distribution divided by the seats to distribute "
              "({seats}): {fraction} {approx} {decimal}.",
    },
    "quota_other": {"ru": "Квота ({method}): {fraction} {approx} {decimal}.",
                    "kk": "Квота ({method}): {fraction} {approx} {decimal}.",
                    "en": "The quota ({method}): {fraction} {approx} {decimal}."},
    "no_quota": {"ru": "Мандаты распределяются методом делителей ({method}); квота не применяется.",
                 "kk": "Мандаттар бөлгіштер әдісімен ({method}) бөлінеді; квота қолданылмайды.",
                 "en": "The seats are divided by a divisor method ({method}); no quota applies."},
    "distribution_intro": {
        "ru": "Число голосов каждого допущенного списка делится на квоту; целая часть частного — число мандатов "
              "списка, оставшиеся мандаты получают списки с наибольшими остатками.",
        "kk": "Әрбір жіберілген тізімнің дауыстары квотаға бөлінеді; бөліндінің бүтін бөлігі — тізімнің мандаттар "
              "саны, қалған мандаттарды қалдығы ең көп тізімдер алады.",
        "en": "Each admitted list's votes are divided by the quota; the whole part of the quotient is the list's "
              "number of seats, and the seats left over go to the lists with the largest remainders.",
    },
    "quotient": {"ru": "Частное", "kk": "Бөлінді", "en": "Quotient"},
    "whole": {"ru": "По целой части", "kk": "Бүтін бөлігі бойынша", "en": "Whole"},
    "remainder": {"ru": "Остаток", "kk": "Қалдық", "en": "Remainder"},
    "by_remainder": {"ru": "По остатку", "kk": "Қалдық бойынша", "en": "By remainder"},
    "whole_total": {
        "ru": "По целой части распределено {whole} мандатов, по наибольшим остаткам — {rest}.",
        "kk": "Бүтін бөлігі бойынша {whole} мандат, ең үлкен қалдықтар бойынша {rest} мандат бөлінді.",
        "en": "{whole} seats were given by whole parts and {rest} by the largest remainders.",
    },
    "vacant": {
        "ru": "{party}: получено мандатов {won}, кандидатов в списке {candidates}; мандатов, остающихся вакантными: "
              "{vacant}.",
        "kk": "{party}: {won} мандат алды, тізімде {candidates} кандидат; бос қалатын мандаттар: {vacant}.",
        "en": "{party}: won {won} seats with {candidates} candidates on its list; {vacant} seats stay vacant.",
    },
    "runner_up": {
        "ru": "Порог преодолел только один партийный список ({leader}); к распределению мандатов допущен также "
              "список, получивший следующее наибольшее число голосов ({runner}). Его частное умножается на "
              "{factor}, и он получает не менее {minimum} мандатов.",
        "kk": "Шектен тек бір партиялық тізім ({leader}) өтті; мандаттарды бөлуге келесі ең көп дауыс алған тізім "
              "({runner}) де жіберілді. Оның бөліндісі {factor} коэффициентіне көбейтіледі және ол кемінде {minimum} "
              "мандат алады.",
        "en": "Only one list ({leader}) passed the threshold; the list with the next largest vote ({runner}) also "
              "takes part. Its quotient is multiplied by {factor} and it receives not less than {minimum} seats.",
    },
    "tie_registration": {
        "ru": "Равенство ({stage}) при распределении мандата № {seat} между списками: {lists}. Мандат получил список, "
              "зарегистрированный ранее: {winners}.",
        "kk": "{seat}-мандатты бөлу кезінде тізімдердің теңдігі ({stage}): {lists}. Мандат ертерек тіркелген тізімге "
              "берілді: {winners}.",
        "en": "Tie ({stage}) for seat {seat} among the lists {lists}; the seat went to the list registered earlier: "
              "{winners}.",
    },
    "tie_lot": {
        "ru": "Равенство ({stage}) при распределении мандата № {seat} между списками: {lists}. Решено жребием "
              "(начальное значение {seed}; порядок жребия: {draw}): {winners}.",
        "kk": "{seat}-мандатты бөлу кезінде тізімдердің теңдігі ({stage}): {lists}. Жеребе бойынша шешілді "
              "(бастапқы мәні {seed}; жеребе реті: {draw}): {winners}.",
        "en": "Tie ({stage}) for seat {seat} among the lists {lists}; decided by lot (seed {seed}; drawn order: "
              "{draw}): {winners}.",
    },
    "stage_remainder": {"ru": "остатков", "kk": "қалдықтар", "en": "remainders"},
    "stage_quotient": {"ru": "частных", "kk": "бөліндінің", "en": "quotients"},
    "stage_runner-up": {"ru": "голосов претендентов на допуск", "kk": "жіберуге үміткерлердің дауыстары",
                        "en": "votes for admission as runner-up"},
    "stage_surplus": {"ru": "частных при распределении излишка", "kk": "артық мандаттар бөліндісі",
                      "en": "quotients for the surplus"},
    "no_decisions": {"ru": "Равенства голосов или остатков не возникло.", "kk": "Дауыстар мен қалдықтардың теңдігі болған жоқ.",
                     "en": "No tie arose."},
    "result_intro": {"ru": "Депутатские мандаты распределены следующим образом:",
                     "kk": "Депутаттық мандаттар былайша бөлінді:", "en": "The seats are distributed as follows:"},
    "appointed": {"ru": "{body} избирает {n} {deputies}.", "kk": "{body} {n} депутат сайлайды.",
                  "en": "{body} elects {n} {deputies}."},
    "plurality": {"ru": "{n} {deputies} избираются по одномандатным округам.",
                  "kk": "{n} депутат бір мандатты округтер бойынша сайланады.",
                  "en": "{n} {deputies} are elected in single-member districts."},
    "house": {"ru": "Всего депутатов: {total}, из них по партийным спискам: {lists}.",
              "kk": "Барлық депутаттар: {total}, оның ішінде партиялық тізімдер бойынша: {lists}.",
              "en": "Deputies in all: {total}, of whom {lists} elected by party lists."},
    # -- the station protocol ----------------------------------------------------------------------
    "station_title": {
        "ru": "Протокол участковой избирательной комиссии об итогах голосования по {election}",
        "kk": "{election} бойынша дауыс беру қорытындылары туралы учаскелік сайлау комиссиясының хаттамасы",
        "en": "Protocol of the precinct election commission on the results of the voting in {election}",
    },
    "station": {"ru": "Избирательный участок № {station}", "kk": "№ {station} сайлау учаскесі",
                "en": "Polling station No. {station}"},
    "region": {"ru": "Область, город республиканского значения: {name}",
               "kk": "Облыс, республикалық маңызы бар қала: {name}", "en": "Region or city: {name}"},
    "territory": {"ru": "Территориальная избирательная комиссия: {name}", "kk": "Аумақтық сайлау комиссиясы: {name}",
                  "en": "Territorial election commission: {name}"},
    "line_no": {"ru": "№ строки", "kk": "Жол №", "en": "Line"},
    "line_label": {"ru": "Наименование строки", "kk": "Жолдың атауы", "en": "Line"},
    "in_figures": {"ru": "Цифрами", "kk": "Цифрмен", "en": "In figures"},
    "in_words": {"ru": "Прописью", "kk": "Жазбаша", "en": "In words"},
    "parties_lines": {"ru": "Число голосов избирателей, поданных за каждый партийный список",
                    "kk": "Әрбір партиялық тізім үшін берілген сайлаушылар дауыстарының саны",
                    "en": "Votes cast for each party list"},
    "candidates_lines": {"ru": "Число голосов избирателей, поданных за каждого кандидата",
                         "kk": "Әрбір кандидат үшін берілген сайлаушылар дауыстарының саны",
                         "en": "Votes cast for each candidate"},
    "answers_lines": {"ru": "Число голосов, поданных за каждый вариант ответа",
                      "kk": "Әрбір жауап нұсқасы үшін берілген дауыстар саны", "en": "Votes cast for each answer"},
    "relations": {"ru": "Контрольные соотношения (номера строк)", "kk": "Бақылау арақатынастары (жол нөмірлері)",
                  "en": "Control relations (line numbers)"},
    "signed_at": {"ru": "Протокол подписан «___» ______________ 20___ года в ___ ч ___ мин",
                  "kk": "Хаттамаға 20___ жылғы «___» ______________ сағат ___ минут ___ қол қойылды",
                  "en": "Signed on ______________ 20___ at ___ h ___ min"},
    "blank_note": {"ru": "Бланк протокола: заполняется комиссией.", "kk": "Хаттама бланкісі: комиссия толтырады.",
                   "en": "Blank protocol: to be filled in by the commission."},
    # -- the results summary -----------------------------------------------------------------------
    "summary_title": {"ru": "Сводная таблица результатов {election}", "kk": "{election} нәтижелерінің жиынтық кестесі",
                      "en": "Summary of the results of {election}"},
    "national": {"ru": "Результаты по стране", "kk": "Ел бойынша нәтижелер", "en": "National results"},
    "by_region": {"ru": "Результаты по регионам", "kk": "Өңірлер бойынша нәтижелер", "en": "Results by region"},
    "region_col": {"ru": "Регион", "kk": "Өңір", "en": "Region"},
    "valid_votes": {"ru": "Действительные голоса", "kk": "Жарамды дауыстар", "en": "Valid votes"},
    "stations": {"ru": "Протоколы участков: {reported} из {total}", "kk": "Учаскелер хаттамалары: {total} ішінен {reported}",
                 "en": "Station protocols: {reported} of {total}"},
    "percent_note": {"ru": "Проценты — от числа действительных голосов, округлены до сотых (половина — вверх).",
                     "kk": "Пайыздар жарамды дауыстар санынан есептелген, жүздікке дейін дөңгелектелген (жартысы — жоғары).",
                     "en": "Percentages of valid votes, rounded half up to two decimals."},
    "status_certified": {"ru": "Итоги утверждены.", "kk": "Қорытындылар бекітілді.", "en": "The result is certified."},
    "status_unofficial complete": {"ru": "Предварительные итоги (все протоколы).",
                                   "kk": "Алдын ала қорытындылар (барлық хаттамалар).",
                                   "en": "Preliminary result (every protocol counted)."},
    "status_unofficial partial": {"ru": "Предварительные итоги (не все протоколы).",
                                  "kk": "Алдын ала қорытындылар (барлық хаттамалар емес).",
                                  "en": "Preliminary result (not every protocol counted)."},
}


def text(key: str, language: str, **fields: Any) -> str:
    """The phrase ``key`` in ``language``, its fields filled."""
    return TEXT[key][language].format(**fields)


def commission(country: str, language: str) -> str:
    return COMMISSION.get(country, COMMISSION[""])[language]


def election_phrase(family: str, language: str, case: str = "", *, party_list: bool = True) -> str:
    """The election's name for a title; ``case`` is ``gen`` or ``dat`` in Russian.

    An unknown family reads as a party-list election, or as "the vote" when the ballot offers no lists.
    """
    entry = ELECTIONS.get(family) or ELECTIONS["" if party_list else "other"]
    return entry[f"ru_{case or 'gen'}"] if language == "ru" else entry[language]


def deputies(n: int, language: str, *, accusative: bool = True) -> str:
    """"deputies" agreeing with ``n`` (Russian: 1 депутата / 2 депутатов in the accusative; nominative: 1 депутат,
    2 депутата, 5 депутатов)."""
    if language == "en":
        return "deputy" if n == 1 else "deputies"
    if language == "kk":
        return "депутат"
    last, last_two = n % 10, n % 100
    if accusative:
        return "депутата" if last == 1 and last_two != 11 else "депутатов"
    if last == 1 and last_two != 11:
        return "депутат"
    if 2 <= last <= 4 and not 12 <= last_two <= 14:
        return "депутата"
    return "депутатов"
