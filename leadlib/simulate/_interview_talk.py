# ruff: noqa: E501  (sentence frames are kept one to a line, however long, so they read as written)
"""Sentence frames for :mod:`leadlib.simulate.interview`: the interview guide, and what informants say.

FICTIONAL, written for leadlib; not the guide or the interviews of the 2003 study "Microsystems in Health Care:
Part 5. How Leaders Are Leading". No real person, institution, vendor or product, and no patient.

A symbol's frames are looked up from the most specific key to the least: ``name|voice`` before ``name``, and within
each ``@persona@kind``, ``@persona@setting``, ``@persona``, ``@kind``, ``@setting``, ``@kids``/``@adults``, bare.
The first key found wins, unless its first item is ``"+"``: then its frames are merged with the next key's.
Voices: ``formal`` (speaks as the post holder), ``informal`` (leads without a post), ``staff`` (describes what
leaders do); ``formal_up``/``informal_up`` for meso and macro leaders. In a frame, ``{slot}`` is filled from the
site's facts, the passage's draws or another symbol, and ``[a|b|c]`` is one of the alternatives (one may be empty).
"""

from __future__ import annotations

from ._interview_says import CODE_FRAMES
from ._interview_sc import SC_FRAMES

#: The order of topics in the interview guide (a process of leading, or a success characteristic).
TOPIC_ORDER = (
    "SC.patient_focus",
    "SC.interdependence",
    "BK",
    "SC.information_technology",
    "SC.performance_patterns",
    "TA",
    "SC.staff_focus",
    "SC.organizational_support",
    "SC.process_improvement",
    "RR",
    "SC.culture",
    "SC.leadership",
)

#: Per process sub-code, what leaders doing it do (for passages that say it is not done).
ACTIVITY = {
    "BK.patients": "asking [patients|people|families] what it's like on their side",
    "BK.staff": "[knowing|finding out] what the people doing the work [think|can do|are dealing with]",
    "BK.processes": "[looking at|walking through] how the work actually [gets done|flows]",
    "BK.measures": "[looking at|keeping track of] [the numbers|any data] on how we're doing",
    "BK.outside": "finding out how other places do it",
    "TA.hiring": "[bringing new people in properly|a real orientation]",
    "TA.developing": "[training|teaching|growing] the people who are already here",
    "TA.redesign": "actually changing [how the work is done|the way we do things]",
    "TA.resources": "[going to bat for us|fighting] for [staff|equipment|money] upstairs",
    "TA.communicating": "[telling people|keeping everyone informed] [what's going on|about changes]",
    "RR.results": "[sitting down with|going over] [the results|how we did] together",
    "RR.debrief": "[going over|talking through] what happened after a bad [day|night|event]",
    "RR.success": "[saying|spelling out] what a good job [looks like|would even be]",
    "RR.next": "[deciding|talking about] what comes next once something works",
}

#: Follow-up questions on something the informant just mentioned (after "You mentioned ...").
PROBES = {
    "huddle": ("Who decides what gets raised there?", "Who runs that?", "What happens there, exactly?"),
    "meeting": ("Who usually comes to that?", "What gets talked about there?", "Is that a useful meeting?"),
    "tool": ("Who keeps that up to date?", "Does everyone use that?", "How well does that work?"),
    "project": ("How did that get started?", "Who is working on that?", "Where does that stand now?"),
    "event": ("What happened after that?", "How did people take that?", "Did anything change because of it?"),
    "m": ("Where do those numbers come from?", "Who sees those numbers?", "How often do you see those?"),
    "board": ("Who writes on it?", "What goes up there?"),
    "nbr": ("How do you get along with them?", "Who do you deal with there?"),
}

_FRAME: dict[str, tuple[str, ...]] = {
    # ---- interviewer
    "q.open": (
        "Could you start by telling me a little about yourself and what you do here?",
        "To begin, what is your job here, and how long have you been doing it?",
        "Can you tell me about your role here?",
        "Let's start with you. What do you do here, and how long have you been here?",
    ),
    "q.day": (
        "What does a typical day look like for you?",
        "Walk me through a normal day.",
        "What did yesterday look like, for example?",
        "What fills most of your day?",
    ),
    "q.close": (
        "Is there anything I didn't ask that you think I should know?",
        "We're about out of time. Is there anything you'd like to add?",
        "Is there anything else about how things work here that I should hear?",
    ),
    "q.switch": (
        "Let me switch gears a little.",
        "I'd like to move on to something different.",
        "Let me ask about another area.",
        "Changing the subject a bit.",
        "OK.",
        "That's helpful.",
        "Thank you.",
    ),
    "q.more": (
        "Can you give me another example?",
        "Is there another time that comes to mind?",
        "Does that happen in other ways too?",
        "What else would you say about that?",
        "Has it always been like that here?",
        "How would someone new notice that?",
        "Is that true on every shift, or just some?",
        "Anything else along those lines?",
        "How do you think that came about?",
        "Can you tell me more?",
        "Why do you think it works that way?",
        "What would you want other places to know about that?",
    ),
    "aside": (
        "[{name} would know more.|Ask {name}, really.|{name} could tell you the details.]",
        "[It's been like that for {while}.|That's been true for {while} or so.]",
        "[It depends on the week.|Some weeks more than others.|It picks up around {busy}.]",
        "[We could do better.|It's not perfect.|It works for us.]",
        "[I'd have to check.|Don't quote me on the numbers.|That's my impression, anyway.]",
        "[{ldr} started that.|That was {ldr}'s doing, mostly.|{ldr} keeps an eye on it.]",
    ),
    "q.fallback": ("Go on.", "Please, go on.", "And then?"),
    # ---- informant, around the coded passages
    "lead": (
        "Oh, that's a good question.",
        "Hmm. Let me think.",
        "Yes, a lot.",
        "[laughs] Where do I start.",
        "Well.",
        "That's a big one.",
        "Sure.",
        "I can give you an example.",
        "Honestly?",
        "OK, so.",
        "It depends on the day.",
        "Good question.",
    ),
    "bridge": (
        "And another thing.",
        "It's the same with something else.",
        "There's a second piece to that.",
        "Also.",
        "Oh, and this.",
        "Which reminds me.",
    ),
    "tail": (
        "So that's one example.",
        "That's how it goes here.",
        "Anyway.",
        "I don't know if that answers it.",
        "That's the short version.",
        "It's not perfect, but it works.",
        "So, yes.",
    ),
    "close": (
        "No, I think we covered it. [Just that this is a good place to work.|I'm glad somebody is asking.|Thanks for listening.]",
        "Just that people here [really care|try hard|don't give up]. [That's the main thing.|Put that in.|That's it.]",
        "Not really. [It's been nice to talk about it.|You asked good questions.]",
        "Only that we're not done. [There's plenty left to fix.|Come back next spring.]",
        "I'd say talk to the [night shift|weekend people|newer people] too. [They see a different place.|They'd tell you more.]",
        "I think that's everything. [Good luck with the study.|Thanks.]",
    ),
    # ---- the opening: who the informant is, how long, what before
    "open.self|formal": (
        "I'm {a_title}.",
        "I'm {a_title}, [which means|so] [a lot of meetings|I answer for how things go here|I get the phone calls].",
        "My title is {title}.",
    ),
    "open.self|formal_up": (
        "I'm {a_title}, so {unit} is one of [several areas|a handful of areas|the areas] that report up to me.",
        "My title is {title}. [This unit|{unit}] is part of what I cover.",
    ),
    "open.self": (
        "I'm {a_title} here.",
        "I work here as {a_title}.",
        "I'm {a_title}.",
        "I'm {a_title}, [full time|part time for now|mostly days|on the day shift|on evenings].",
    ),
    "open.tenure": (
        "I've been here {tenure}.",
        "I've been here about {tenure} now.",
        "It'll be {tenure} [this spring|this fall|in the summer|after the holidays].",
        "[Going on|Coming up on] {tenure} here.",
        "I've been in {unit} {tenure}.",
    ),
    "open.extra|informal": (
        "I'm not in charge of anything, officially. [But people come to me.|I just end up in the middle of things.]",
        "I don't have a title beyond that. [I just like to fix things.|I'm the one who speaks up, I guess.]",
    ),
    "open.extra|informal_up": (
        "I also chair {meso}, which is [volunteer|not part of my job description|something I do on top of my shifts].",
        "On top of that I sit on {meso}. [Nobody pays me for it.|I asked to be on it.]",
    ),
    "open.before@physician": (
        "Before that I was in [practice across town|a group practice|the military|a teaching hospital].",
        "I came here [straight out of training|from another state|after a few years somewhere bigger].",
    ),
    "open.before@nurse": (
        "Before that I worked [on a med-surg floor|in another hospital|nights somewhere else|in a doctor's office].",
        "I came here [straight out of school|from another state|after a few years somewhere bigger].",
    ),
    "open.before@admin": (
        "Before that I was in [finance|operations somewhere bigger|a management job outside health care].",
        "I came up through [the business side|nursing, a long time ago|operations].",
    ),
    "open.before": (
        "Before that I was [somewhere else in town|in another job entirely|in a bigger place].",
        "I came here [because a friend worked here|after moving to the area|for the hours].",
    ),
    # ---- a typical day (uncoded)
    "day.a@physician": (
        "I see [patients most of the day|a full schedule]. [Then I dictate.|Then paperwork at the end.|Then phone calls.]",
        "Mostly patient care, with [meetings|phone calls|paperwork] squeezed in around it.",
    ),
    "day.a@physician@icu_nicu": ("I round in the morning, then it's admissions and whatever goes wrong.",),
    "day.a@physician@emergency_department": ("Shifts, mostly. Eight or ten hours of whoever comes in.",),
    "day.a@nurse": (
        "It's [busy|never the same two days running], [mostly|basically] patient care.",
        "I take care of {pts}, and [everything around that|there's a lot of paperwork too].",
    ),
    "day.a@nurse@icu_nicu": ("I usually have two patients, sometimes one if they're really sick.",),
    "day.a@nurse@home_health": ("I do [five|five or six|four or five] visits a day, all over the county.",),
    "day.a@nurse@hospice": ("I have a caseload of [ten|twelve|eleven] or so and visit them at home.",),
    "day.a@nurse@emergency_department": ("Whatever comes through the door. Some days you never sit down.",),
    "day.a@nurse@long_term_care": ("I have a hall of [twenty|twenty-two|twenty-five] residents and the med pass.",),
    "day.a@aide": (
        "I help people [wash|get washed] and dressed, [meals|feeding], [getting up|walking], that kind of thing.",
        "Personal care, mostly. [It's hard on your back.|You get close to people.]",
    ),
    "day.a@aide@emergency_department": ("I do EKGs, splints, vitals, transport, whatever they need.",),
    "day.a@aide@home_health": ("I have [five|six] or so visits a day, baths and light housekeeping.",),
    "day.a@therapist": (
        "I see [patients|people] for therapy, [and a lot of paperwork|evaluations and treatments].",
        "Evaluations and treatments, mostly. [And the notes.|And the driving.]",
    ),
    "day.a@therapist@icu_nicu": ("Ventilator checks, treatments, and every intubation and extubation.",),
    "day.a@tech": (
        "I [set up|run] the [equipment|machines] and [look after|keep an eye on] people while they're on [it|them].",
        "[Setup, checks, and|Machines, checks,] a lot of [watching|talking to people]. [It's steady.|It's never dull.]",
    ),
    "day.a@ma": ("I room patients, take vitals, do the shots and the paperwork.",),
    "day.a@clerk": (
        "Phones, [scheduling|charts|orders], [people at the desk|the fax], all day long.",
        "I'm the first person people talk to. [And the phone never stops.|And I keep the paper moving.]",
    ),
    "day.a@sw": (
        "I see [clients|people] one on one, run [a group|groups], and do a lot of phone calls.",
        "Assessments, [counseling|family meetings], and [paperwork|a lot of phone calls].",
    ),
    "day.a@sw@inpatient_unit": ("Discharge planning mostly, and families who need help.",),
    "day.a@sw@icu_nicu": ("Mostly families. Meetings, insurance, finding places to stay.",),
    "day.a@sw@hospice": ("I visit families at home and help with [everything|the practical stuff].",),
    "day.a@sw@home_health": ("I visit people at home when there's a money or family problem.",),
    "day.a@sw@long_term_care": ("Admissions, families, care-plan meetings, and a lot of listening.",),
    "day.a@chaplain": ("I visit patients and families, and I do a lot of funerals.",),
    "day.a@pharm": ("I check orders, answer questions, and round with the team [some days|most mornings].",),
    "day.a@educator": ("I see people one on one and teach [classes|a group] [twice a week|on Thursdays].",),
    "day.a@coordinator": ("I plan and run the programs, and I'm on the phone [a lot|constantly].",),
    "day.a@np": (
        "I have my own schedule of [patients|visits], and I [cover|help out] when [someone's out|we're swamped].",
        "[Mostly|A lot of] [visits|patient care], plus [phone calls|paperwork] and [teaching|follow-up].",
    ),
    "day.a": (
        "It's [busy|full], [mostly|a lot of] [people|patients] and [phone calls|paperwork].",
        "[No two days are alike.|Every day is different.] [I go where I'm needed.|It depends what comes in.]",
    ),
    "day.a|formal_up": (
        "Meetings, mostly, and [walking around my areas|rounding on my units] when I can.",
        "[Budgets, staffing|Staffing, budgets], and [whatever lands on my desk|the phone calls nobody else wants].",
    ),
    "day.a|formal": (
        "[Staffing|The schedule] first thing, then [rounds|meetings|whatever's on fire].",
        "[I'm on the floor in the morning|Mornings I'm out with the staff], and [the afternoons are paperwork|meetings eat the afternoon].",
    ),
    "day.a@admin": (
        "Meetings, mostly. [Budgets, staffing, whatever lands on my desk.|And walking around when I can.]",
        "A lot of meetings and [a lot of phone calls|a lot of paper].",
    ),
    "day.b": (
        "[And|Then there's] {busy}, which [is its own thing|is crazy|is the hardest part].",
        "No two days are the same.",
        "It's a lot, but I like it.",
        "[By the end of the day|By the end] I'm [tired|worn out], but it's good tired.",
        "There's always something.",
        "[I like it.|It suits me.|It's a good job.]",
    ),
    # ---- short answers to probes, one symbol per question of PROBES (probe.<kind>.<index of the question>)
    "probe.huddle.0": (
        "Anyone who has something. [It's pretty open.|People do speak up.]",
        "[Usually|Mostly] the charge person, but anybody can bring something up.",
    ),
    "probe.huddle.1": (
        "Whoever's in charge that day. [It's short.|Ten minutes, tops.]",
        "[The charge person|Whoever's running the day], [mostly|usually]. [It rotates.|We take turns.]",
    ),
    "probe.huddle.2": (
        "It's short. Who's here, who's sick, what's coming.",
        "[We stand up|Nobody sits down], go over [who's here|staffing] and [anything tricky|anything unusual], and that's it.",
    ),
    "probe.meeting.0": (
        "[Most of|Almost all] the team, if they can get away.",
        "Whoever's on. [We try to cover the floor.|We order lunch, which helps.]",
    ),
    "probe.meeting.1": (
        "[Schedules, complaints, whatever's new.|Whatever went wrong that month, mostly.] [It's a long list.|It runs over.]",
        "[New policies|Changes coming down], and [anything people bring|whatever's bothering people].",
    ),
    "probe.meeting.2": (
        "[It's useful.|Yes, it is.] [More than most meetings.|Mostly.]",
        "It depends on the week. [Sometimes it's great.|Sometimes it's just a list.]",
    ),
    "probe.tool.0": (
        "[Mostly|Usually] the [clerk|secretary|charge person]. [It's a lot.|It works, mostly.]",
        "[Everyone is supposed to.|Whoever touches it last.] [It's not always current.|Mostly it's right.]",
    ),
    "probe.tool.1": (
        "Everybody's supposed to. [Some are better than others.|It depends on the person.]",
        "[Most people.|Pretty much everyone now.] [A couple of holdouts.|The new people pick it up fastest.]",
    ),
    "probe.tool.2": (
        "It works when it works. [When it doesn't, we go back to paper.|We all complain about it.]",
        "[Pretty well|Fine], once you get used to it.",
    ),
    "probe.project.0": (
        "It came out of a staff meeting, [really|I think].",
        "It started with [complaints|one bad month|a suggestion]. [Then it grew.|And it stuck.]",
    ),
    "probe.project.1": (
        "A few of us [and the manager|with some help from upstairs]. [It's slow.|It's coming along.]",
        "[Three or four of us|A small group], [on top of everything else|when we can find the time].",
    ),
    "probe.project.2": (
        "It's still going. [Some weeks better than others.|We're not there yet.]",
        "[About halfway.|Further than I expected.] [We'll see.|Ask me in a few months.]",
    ),
    "probe.event.0": (
        "We talked about it for a long time. [Some things changed.|It changed a few habits.]",
        "[We sat down and went over it.|There was a review.] [Then some changes.|It took a while.]",
    ),
    "probe.event.1": (
        "[People were shaken.|It was hard on people.] [It took a while.|Some still talk about it.]",
        "It [still comes up|comes up every so often]. [People remember.|It stuck with people.]",
    ),
    "probe.event.2": (
        "[Yes, a few things.|Some things did.] [We check more now.|We're more careful.]",
        "[A couple of habits changed.|Not as much as it should have.] [People remember.|It stuck with people.]",
    ),
    "probe.m.0": (
        "[Quality|The quality office|Somebody upstairs] [sends them|pulls them] [every month|quarterly].",
        "We count them ourselves, [mostly|on paper]. [It's not fancy.|Tally marks, really.]",
    ),
    "probe.m.1": (
        "They go up on the board. [Everybody sees them.|You can't miss them.]",
        "[The managers, mostly.|Everyone, in theory.] [Not everybody looks.|Some people care more than others.]",
    ),
    "probe.m.2": (
        "[Every month or so.|Not as often as I'd like.]",
        "[Once a month|Every quarter], [at the staff meeting|on the board]. [That's about it.|It's enough.]",
    ),
    "probe.board.0": (
        "[Everybody.|The charge person, mostly.] [It's always full.|It's the first thing you look at.]",
        "[Whoever's in charge|The secretary], [mostly|first thing]. [Everyone adds to it.|It's messy by noon.]",
    ),
    "probe.board.1": (
        "Who's where, what's pending, [who needs what|what's coming]. [It's simple.|It works.]",
        "[The day's plan|Staffing and anything pending], [mostly|basically]. [It's simple.|It works.]",
    ),
    "probe.nbr.0": (
        "Better than we used to. [We know their names now.|It took work.]",
        "[It depends on who's on.|Some days better than others.] [We're polite.|We try.]",
    ),
    "probe.nbr.1": (
        "[Fine, mostly.|OK.] [We have one person we call.|There's a go-to person.]",
        "[Mostly one person there.|Whoever answers the phone.] [We know a few of them by name.|It varies.]",
    ),
}

# Shared words that many frames use.
_LEXICON: dict[str, tuple[str, ...]] = {
    "when": (
        "last spring",
        "a few months ago",
        "back in the fall",
        "this past winter",
        "around the first of the year",
        "over the summer",
        "last year",
        "not that long ago",
        "early last year",
    ),
    "freq": ("every week", "once a month", "every other week", "every quarter", "twice a month", "most mornings"),
    "few": ("two or three", "a couple of", "three or four", "a handful of", "half a dozen", "a few"),
    "while": ("a couple of weeks", "about a month", "six weeks", "most of the summer", "a few weeks", "two months"),
    "staffers": ("the staff", "everyone", "the whole team", "people"),
    "staffers@primary_care": ("+", "the MAs and the nurses", "the front desk and the back"),
    "staffers@inpatient_unit": ("+", "the nurses and the aides", "days and nights"),
    "staffers@icu_nicu": ("+", "the nurses and the RTs", "both shifts"),
    "staffers@emergency_department": ("+", "the nurses and the techs", "all three shifts"),
    "staffers@home_health": ("+", "the nurses and the aides", "the field staff"),
    "staffers@hospice": ("+", "the nurses and the aides", "the whole IDT"),
    "staffers@long_term_care": ("+", "the aides and the nurses", "all three shifts"),
    "staffers@behavioral_health": ("+", "the counselors", "the clinicians"),
    "peers": ("the others", "a couple of the others", "the people I work with"),
    "peers@nurse": ("the other nurses", "a couple of the other nurses"),
    "peers@aide": ("the other aides", "a couple of the other aides"),
    "peers@clerk": ("the other clerks", "the front desk"),
    "peers@therapist": ("the other therapists", "a couple of the other therapists"),
    "peers@ma": ("the other MAs", "a couple of the other MAs"),
    "peers@sw": ("the other counselors", "a couple of the other clinicians"),
    "peers@physician": ("the other physicians", "a couple of my partners"),
    "good": ("better", "a lot better", "much smoother", "calmer", "easier on everybody"),
    "slow": ("It took longer than we thought.", "It wasn't quick.", "It didn't happen overnight.", "It was slow."),
    "doubt": (
        "not everybody was sold on it",
        "some people rolled their eyes",
        "a few people thought it was a waste of time",
        "there was some grumbling",
    ),
    "stuck": ("It stuck.", "It's just how we do it now.", "Nobody would go back.", "It's routine now."),
    "care": ("what we do", "the care"),
    "care@primary_care": ("+", "the visits", "chronic care"),
    "care@inpatient_unit": ("+", "discharges", "the admissions"),
    "care@icu_nicu": ("+", "the weaning", "the line care"),
    "care@emergency_department": ("+", "triage", "getting people seen"),
    "care@home_health": ("+", "the visits", "the first visit"),
    "care@hospice": ("+", "symptom control", "the last days"),
    "care@long_term_care": ("+", "the care plans", "mealtimes"),
    "care@behavioral_health": ("+", "intake", "the groups"),
    "handoff": ("hand-offs", "report", "shift change"),
    "handoff@primary_care": ("the hand-off from the front desk to the back", "phone messages", "refills"),
    "handoff@specialty_clinic": ("referrals coming in", "the hand-off to the referring doctor", "results"),
    "handoff@home_health": ("the hand-off from the hospital", "the first visit", "messages to the doctors' offices"),
    "handoff@hospice": ("the hand-off to the night nurse", "admissions", "calls after hours"),
    "handoff@behavioral_health": ("intake", "the hand-off from the hospital", "the first appointment"),
    "handoff@emergency_department": ("triage", "the hand-off to the floors", "shift change"),
    "bad_day": ("a bad day", "a really bad day"),
    "bad_day@inpatient_unit": ("a bad night", "a night with three admissions and a fall"),
    "bad_day@icu_nicu": ("a code", "a bad night", "a death we didn't expect"),
    "bad_day@emergency_department": ("a bad shift", "a trauma that went badly", "a pediatric code"),
    "bad_day@home_health": ("a bad visit", "a day where everything ran late"),
    "bad_day@hospice": ("a hard death", "a night where the family couldn't reach anyone"),
    "bad_day@long_term_care": ("a fall", "a bad night on the hall"),
    "bad_day@behavioral_health": ("a crisis in the waiting room", "a bad session", "losing a client"),
    "bad_day@primary_care": ("a day where the schedule fell apart", "a bad phone call"),
    "bad_day@specialty_clinic": ("a clinic day that fell apart", "bad news for a patient"),
    "upstairs": ("upstairs", "administration", "the people above us"),
    "upstairs@home_health": ("the main office", "administration"),
    "upstairs@hospice": ("the main office", "administration"),
    "upstairs@long_term_care": ("the corporate office", "the administrator's office"),
    "upstairs@primary_care": ("the network office", "administration", "the people downtown"),
    "money": ("a position", "the money", "a part-time person", "equipment", "some overtime hours"),
    "money@primary_care": ("+", "a second phone line", "another MA", "exam room space"),
    "money@inpatient_unit": ("+", "a second unit secretary", "bed alarms", "a lift"),
    "money@icu_nicu": ("+", "another RT on nights", "new monitors", "a family room"),
    "money@emergency_department": ("+", "a fast-track nurse", "another tech", "a triage room"),
    "money@home_health": ("+", "cell phones", "another aide", "mileage"),
    "money@hospice": ("+", "a night nurse", "pagers that work", "a bereavement position"),
    "money@long_term_care": ("+", "another aide on evenings", "lifts", "a new bath chair"),
    "money@behavioral_health": ("+", "another counselor", "an intake position", "evening hours"),
    "money@specialty_clinic": ("+", "another scheduler", "a second room"),
    "money@dialysis": ("+", "another technician", "new machines", "a second shift nurse"),
    "patients_say": ("what made it hard", "what they'd change", "what we got wrong"),
    "patients_say@adults": ("+", "how long they waited", "who they could call"),
    "patients_say@kids": ("+", "what scared the kids", "what the parents needed to hear"),
    "patients_say@hospice": ("+", "what the nights were like", "what they were afraid of"),
    "patients_say@long_term_care": ("+", "what they missed about home", "when they like to get up"),
    "patients_say@behavioral_health": ("+", "why they stopped coming", "what got them in the door"),
}

GRAMMAR: dict[str, tuple[str, ...]] = {}
for _part in (_FRAME, _LEXICON, CODE_FRAMES, SC_FRAMES):
    _overlap = set(GRAMMAR) & set(_part)
    if _overlap:
        raise KeyError(f"symbols defined twice: {sorted(_overlap)}")
    GRAMMAR.update(_part)
