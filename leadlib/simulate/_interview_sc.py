# ruff: noqa: E501  (sentence frames are kept one to a line, however long, so they read as written)
"""Sentence frames of passages about a success characteristic, of critical and of borderline passages
(see ``_interview_talk``). FICTIONAL, written for leadlib.

Per characteristic: ``.a``-``.d`` (a passage with nobody leading), ``flav.`` (one sentence tying another passage to
it), ``q.`` (main questions). ``crit.*``: a speaker says their leaders do not do something. ``bl.<a>+<b>.a``-``.c``:
passages that fit two codes.
"""

from __future__ import annotations

SC_FRAMES: dict[str, tuple[str, ...]] = {
    # ---- patient focus
    "q.SC.patient_focus": (
        "Who are {pts}, and what do they need from {unit}?",
        "Can you tell me about a time {unit} went out of its way for someone?",
        "How do {pts} experience the care here, would you say?",
        "What matters most to {pts}?",
        "What do {fam} need from you?",
        "What would {pts} say about {unit}?",
    ),
    "SC.patient_focus.a": (
        "Everything here has to start with what {pts} need, [not with what's convenient for us|not with our schedule|not with how we like to work].",
        "{when} {pt}'s family wanted things done differently. [We bent the routine to fit them.|We changed {handoff} for them.|{name} rearranged the whole week.]",
        "[Most|A lot] of {pts} come to us [scared|worried|worn out], so the first thing is making sure they feel [heard|listened to].",
        "For {pts}, this is [one of the hardest times|a frightening time|not routine at all]. [It's routine for us.|We forget that.|I try to remember that.]",
        "What {pts} want most is [to know what's going to happen next|someone who knows them|not to be passed around]. [{name} says the same.|That's my experience.|It's not complicated.]",
    ),
    "SC.patient_focus.b": (
        "When {fam} call, we try to [call back the same day|get back to them quickly], because the waiting is [the worst part|what scares them].",
        "It's the little things people remember, like [knowing how someone likes things done|remembering a name|a phone call the next day].",
        "When {pts} tell us something's not working, it [goes up on {board}|comes up at {huddle}] [the same day|right away].",
        "{name} stayed late [once|one evening|{when}] to go over {care} again with {fam}. [Nobody asked {name_him} to.|That's {name} all over.]",
        "We [set up|arrange] {handoff} around [what {pts} need|their day], as much as we can, [not around our shift change|not around our breaks].",
        "We'd rather run late than rush somebody [who's frightened|who has questions], and [people here understand that|nobody gets in trouble for it].",
    ),
    "SC.patient_focus.b@long_term_care": (
        "+",
        "This is their home, not our workplace, so [the residents decide when to get up|residents choose what to wear and when to eat].",
    ),
    "SC.patient_focus.b@hospice": (
        "+",
        "We go with whatever the family needs [at the end|in those last days], even when [it isn't how we'd do it|it isn't the textbook way].",
    ),
    "SC.patient_focus.b@kids": (
        "+",
        "[Parents|The parents] know their child better than we ever will, so [we listen to them first|they're part of every decision].",
    ),
    "SC.patient_focus.c": (
        "That's [why I do this work|why I come in every day|the part that matters].",
        "We're here for {pts}, not the other way around.",
        "We can't always fix everything, but [people can tell we try|they know we care].",
        "[At the end of the day|In the end], that's the job.",
    ),
    "flav.SC.patient_focus": (
        "In the end it was [for {pts}|about {pts}], and [people noticed|you could see the difference for them].",
        "The whole point was [what it's like for {pts}|how things feel for {pts}], not what's easiest for us.",
    ),
    # ---- interdependence
    "q.SC.interdependence": (
        "How do the different people here work together?",
        "Who do you depend on to get your work done?",
        "Can you tell me about the team here?",
        "What happens when someone on the team is swamped?",
        "How do the different disciplines get along here?",
    ),
    "SC.interdependence.a": (
        "Nobody here can do [their job|anything] alone, [from {handoff} to {care}|not even {handoff}].",
        "We cover for each other without being asked, [especially during {busy}|and {busy} is when you see it].",
        "The doctors and the [nurses|rest of us] actually talk to each other here, which [isn't true everywhere|I haven't seen everywhere I've worked].",
        "[I|You] depend on {nbr} as much as on [anyone here|our own people]. [It took a while to get that right.|We've learned to work with them.|{name} knows everyone there.]",
        "[Everybody's piece|Each person's part] [matters|counts], right down to [whoever answers the phone|the front desk].",
    ),
    "SC.interdependence.b": (
        "[If|When] a call comes in from {nbr}, [whoever's free|the first person free] [takes it|handles it]. [It doesn't matter whose job it is.|Nobody says that's not my job.]",
        "{ldr} [pitches in|helps out] too when [it's bad|we're slammed]. [Nobody's too important.|That sets the tone.]",
        "We [know|keep track of] who's [got the hardest day|stretched thin], [and help there first|and that's where help goes].",
        "At {huddle} [everybody says what's on their plate|each of us runs through the day|everybody says what they've got]. [So you see who's drowning.|So you know who needs a hand.|It takes five minutes.]",
        "When things back up at {nbr}, [we all feel it|everything stops|it holds us up]. [So someone walks over and sorts it out.|So we call.|{name} usually gets on the phone.]",
        "{name} and I [work as a pair|team up] on {care}. [We know what the other needs.|No need to ask.|It's been that way for {while}.]",
        "There's no real pecking order here. [Not like where I was before.|Not the way it is in other places.|{name} would tell you the same.]",
        "[If|When] one person is swamped, [somebody else picks up the phone|someone takes the next one|{name} jumps in]. [Nobody keeps score.|No discussion.]",
    ),
    "SC.interdependence.c": (
        "[Nobody|No one] [works alone|gets left alone] here.",
        "[We need each other.|It only works together.] [Simple as that.|That's it.]",
        "It's teamwork for real, not [just a word on a poster|a slogan].",
        "We [respect|trust] each other, so [things get done|it works].",
        "[That's|It's] what makes it work here.",
    ),
    "flav.SC.interdependence": (
        "It only worked because [everybody had a part|the whole team pitched in], [including {nbr}|and that includes {nbr}].",
        "Nobody could have done it alone; it took [the whole team|all of us], [every role|every shift].",
    ),
    # ---- information and information technology
    "q.SC.information_technology": (
        "How does information get to the people who need it here?",
        "What tools or systems do you use to keep track of things?",
        "How do you know what's going on with {pts} from one shift or visit to the next?",
        "What happens when information doesn't get where it needs to go?",
        "How do you find out what you need to know at the start of a day?",
    ),
    "SC.information_technology.a": (
        "We still depend on {tool} and [sticky notes|paper]. [It works until it doesn't.|Most days that gets us by.|{name} calls it our real system.]",
        "{board} is how everybody knows [what's going on|who's where], and if something isn't up there, [it gets missed|it gets lost].",
        "Things get [lost|dropped] at {handoff}, [usually|mostly|nearly always] somewhere between {tool} and [the phone|the fax|voice mail|a sticky note|somebody's pocket].",
        "[When I come in|First thing], I check {board}. [Then {tool}.|Then I find {name}.|Then the phone messages.]",
        "[Half of what I know about a day|Most of what I need] comes from [report|{huddle}], and the rest from {tool}.",
    ),
    "SC.information_technology.b": (
        "The computer system was supposed to fix all that. [But it's slow.|But it's clunky.|It's down half the time.] [So people keep paper too.|{name} still writes everything down.|Paper is the backup.]",
        "We page each other [a lot|constantly]. [It's faster than digging in {tool}.|{tool} is too slow.|{name} pages me ten times a day.]",
        "Results from {nbr} still come [by fax|on paper]. [{name} chases them down.|Someone has to track them down.|Half a morning goes to chasing them.]",
        "{name} set up {name_her} own [spreadsheet|log|tally] for {m}, [because|since] nothing we had [could do it|kept track of it|showed it].",
        "When the computer system goes down, [we go back to paper|out come the paper forms], and [honestly|frankly] [some days that's quicker|nobody panics anymore].",
    ),
    "SC.information_technology.c": (
        "It gets done, but it's held together with [tape and habit|paper and good people].",
        "When the information is there, [the whole day runs smoother|everything goes better].",
        "The computers are getting better, [slowly|bit by bit].",
    ),
    "flav.SC.information_technology": (
        "A lot of it depended on {tool}, which [is its own story|is a whole other headache].",
        "We kept track of it [on {tool} and {board}|on {board}, and later on {tool}], so [everyone could see where things stood|anybody could find it].",
    ),
    # ---- performance patterns
    "q.SC.performance_patterns": (
        "How is {unit} doing, would you say?",
        "What results is {unit} proudest of?",
        "How does {unit} compare with other places like it?",
        "What has changed in how {unit} performs over the last while?",
        "What tells you {unit} is doing well, or not?",
    ),
    "SC.performance_patterns.a": (
        "On {m} we were at {m_before}. Now we're [around|at about] {m_after}. [That's pretty good for a place our size.|That isn't bad at all.|{name} keeps the graph.|It took {while} to see it move.]",
        "[Our numbers on|The numbers for|Our] {m} [have been|has been] [steady|going the right way|holding] for {while}, though {busy} [always costs us|still hurts|sets us back|is still hard].",
        "Compared with [similar places|other units like ours], we do [well|OK] on {m}, [but not as well on costs|less well on overtime].",
        "[Complaints|Patient complaints] are down, and [the satisfaction surveys|our survey results] have [gone up|improved], [slowly|year on year].",
    ),
    "SC.performance_patterns.b": (
        "We watch [overtime|costs] too, because that's the money that pays for [everything else|the things we want].",
        "Some [months|weeks] are worse than others. [You can usually see why on {tool}.|The schedule usually tells you why.|{name} can usually tell you why.]",
        "[{m} is where we're strongest|We're strongest on {m}], and [honestly|frankly] [we're weaker on the cost side|costs are where we're still middling].",
        "[The results didn't happen by accident|None of that happened by accident]; [people worked hard for it|it was a lot of small changes].",
    ),
    "SC.performance_patterns.c": (
        "We're not done, but we're headed [the right way|in the right direction].",
        "People here know [the numbers|our results] and care about them.",
        "[It's|That's] a good record, [I think|I'd say].",
    ),
    "flav.SC.performance_patterns": (
        "And {m} went from {m_before} to {m_after}. [That's the result that counts.|People were proud of that.]",
        "It shows in the numbers. [{m} was {m_before}; it's {m_after} now.|We went from {m_before} to {m_after} on {m}.|{name} can show you the graph.]",
    ),
    # ---- staff focus
    "q.SC.staff_focus": (
        "What is it like to work here?",
        "What does {unit} expect of the people who work here?",
        "How are people treated here?",
        "Why do people stay here, or leave?",
        "How are new people brought along here?",
    ),
    "SC.staff_focus.a": (
        "[Nobody|No one] is [thrown in|left to sink] here. You get [time|help] to learn {care} before you're on your own.",
        "{ldr} [knows|learns] what each of us is [good at|best at]. [And uses it.|People end up where they fit.]",
        "People [get asked|are asked] what they want to learn next, [and it gets written down|and somebody follows up].",
        "[Most of us|A lot of us] started [somewhere else in the building|in another job here] and [moved over|grew into this].",
        "People here are expected to really know [their stuff|what they're doing], but they also get [the training|the help] to get there.",
        "The expectations are [high|pretty high], but people are [treated like adults|trusted as professionals] in return.",
        "Turnover is [low|pretty low] for this field, and a lot of us have stayed [for years|a long time].",
        "[It's a demanding place|It's not an easy place], and [they tell you that when you interview|nobody pretends otherwise].",
    ),
    "SC.staff_focus.b": (
        "When {name} wanted to [go back to school|get certified], {ldr} [moved the schedule around|found the money] for {name_him}.",
        "[We get|There's] a [check-in|sit-down] with {ldr} [every few months|every so often]. [It's about us.|It's not just paperwork.]",
        "{name} [asked to learn|wanted to take on] {care}, and [within {while}|after {while}] {name_she} was [doing it|teaching it].",
        "If [something at home|a family thing] comes up, [people cover|the schedule bends], [no questions asked|and nobody makes you feel bad].",
        "If you need [a schedule change|time off] for [family|kids|school], it usually gets worked out.",
        "New people get a [real|proper] orientation. [{name} precepted the last few.|Usually {name} precepts.|Their preceptor checks on them for {while}.|It runs {while}, sometimes longer.]",
        "There's some money for [classes|conferences], not a lot, but [people use it|it gets used].",
        "{name} started [knowing very little|out nervous] [{when}|when {name_she} came]. Now {name_she} teaches [it|part of {care}]. [{ldr} backed {name_him} all the way.|{name_she} had a lot of support.|It took {while} of coaching.]",
    ),
    "SC.staff_focus.c": (
        "[People stay.|People don't leave.] That says [something|a lot].",
        "[I'm|We're] [treated|looked after] well here, [mostly|on the whole].",
        "It's [why I've stayed|why I'm still here].",
        "You're [not just a body|more than a number] here.",
        "You feel [valued|like you're worth something] here.",
        "It's a good place to work.",
        "I'd tell a friend to take a job here.",
    ),
    "flav.SC.staff_focus": (
        "It was also [about|for] the staff, so people [felt supported|felt able to do their jobs].",
        "It made people [better at their jobs|more confident], and [that's part of why they stay|they stuck around].",
    ),
    # ---- organizational support
    "q.SC.organizational_support": (
        "How does {org} support {unit}?",
        "What is the relationship like between {unit} and {upstairs}?",
        "What help do you get from the larger organization?",
        "What does {org} make easier for you, or harder?",
    ),
    "SC.organizational_support.a": (
        "{upstairs} mostly [leaves us alone|lets us run things], which is [good and bad|a mixed blessing], because [we don't always get the help|we can't always get what we ask for].",
        "{org} did back us on {project}, with [a little money|some time|some money and time], and [it helped|it mattered].",
        "We get real help from {nbr}, and that's because [people built those relationships|somebody worked on those ties] over the years.",
        "Being part of {org} helps. [We get training we couldn't afford alone.|The purchasing people alone are worth it.|We'd never get {money} on our own.|The quality office helps with {m}.]",
    ),
    "SC.organizational_support.b": (
        "[Facilities|Maintenance] [comes when we call|is good to us], [mostly|most of the time]. [That's not nothing.|You'd be surprised how much that matters.]",
        "{ldr} [fights|goes to bat] for us [upstairs|with {upstairs}], and [sometimes wins|wins more than you'd think].",
        "[Getting|Asking for] [a new position|another person] [takes forever|is a battle]. [We've stopped asking.|We keep trying.]",
        "When we need {money}, it [can take forever|takes months]. [Committees.|The paperwork alone.|It goes through three offices.]",
        "People from {upstairs} do come through once in a while, and they [seem to know what we do|know some of our names].",
        "[We're lucky|We're fortunate] compared with [some units|other places]. [Some places can't get a light bulb changed.|Some units are invisible upstairs.]",
    ),
    "SC.organizational_support.c": (
        "[Some years better than others.|It comes and goes.]",
        "[They mean well.|Nobody's against us.] [They're just stretched.|There isn't much to go around.]",
        "It could be better, [honestly|really].",
        "It's a partnership, most of the time.",
        "[We manage.|It works well enough.]",
    ),
    "flav.SC.organizational_support": (
        "And {upstairs} got behind it, which [made all the difference|made a big difference].",
        "It [wouldn't have happened|couldn't have worked] without backing from {org}.",
    ),
    # ---- process improvement
    "q.SC.process_improvement": (
        "How does improvement happen here?",
        "What are people working on improving right now?",
        "Is {unit} a place that tries new things?",
        "What's an improvement you're proud of?",
        "Where do changes come from here?",
    ),
    "SC.process_improvement.a": (
        "Right now we're [working on|in the middle of] {project}. [It's about|The idea is|Basically it's] {aim}.",
        "There's [always|usually] some change going, and people [are used to that by now|expect to be part of it].",
        "We try changes [small|on one shift] first, then look at [what happens|what breaks], before [anything goes everywhere|we change it for good].",
        "Nobody here thinks {handoff} is [finished|the last word]. [Least of all {name}.|We keep at it.]",
    ),
    "SC.process_improvement.b": (
        "Ideas can come from anybody, [including the front desk|even the newest person|{name} included]. [They get a hearing.|They do get tried.]",
        "Not everything sticks, and [that's allowed|that's fine]; [we drop it and try something else|we just try something else].",
        "Before {project} got going, we [ran a trial|tried it] [with a few of {pts}|on one shift|on {name}'s shift] for {while}.",
        "[We keep|There's] a [suggestion sheet|list of ideas] {where}, and [it actually gets read|somebody actually reads it].",
    ),
    "SC.process_improvement.c": (
        "Improving is just part of the job here, not [something extra|a special project].",
        "[We're always tinkering, I guess.|We're never done fiddling, I suppose.]",
        "Trying things doesn't [scare|bother] people here [anymore|much].",
    ),
    "flav.SC.process_improvement": (
        "It was one of [a string of changes|the changes] we've made around {care}, [along with {project}|{project} included].",
        "We tested it small first, [the way we test most things now|on one shift, like we do everything now].",
    ),
    # ---- culture
    "q.SC.culture": (
        "How would you describe the culture here?",
        "What's it like when someone makes a mistake here?",
        "How do people here treat each other?",
        "What would a new person notice first about this place?",
        "What's the feeling like on {unit}?",
    ),
    "SC.culture.a": (
        "[Nobody|No one] [yells|raises their voice] here, even [on the worst days|during {busy}].",
        "If you [don't know something|aren't sure], you ask. [Nobody rolls their eyes.|That's expected.]",
        "[People|We] [speak up|say something] when something [looks wrong|doesn't look right], [whoever it involves|whatever their title].",
        "[It's OK|It's fine] to [say you're struggling|ask for help] here. [People do.|Nobody thinks less of you.]",
        "People here trust each other, so you can [admit when you don't know something|say when you've made a mistake].",
        "There's a [real|strong] sense that we're [in it together|learning together], even during {busy}.",
        "When someone makes a mistake, the question is [what happened|why], not whose fault it was.",
        "You can question [things|how we do things] here, [even with the doctors|even with the senior people], and [nobody holds it against you|it's expected].",
    ),
    "SC.culture.b": (
        "When {name} [made a mistake|missed something] {when}, [we talked about what happened|it became a lesson for all of us], not about {name_him}.",
        "[We celebrate|There's cake for] [birthdays|the small stuff], and [people show up|even the doctors come].",
        "How {ldr} [reacts|responds] when something goes wrong [sets the tone|matters most].",
        "[Newcomers|New people] [get pulled in|are included] [right away|from the first week]. [{name} makes sure of it.|It's deliberate.]",
        "We laugh a lot. [It helps after {bad_day}.|{name} is the worst for it.|It gets us through {busy}.]",
        "New people tell us this place is [different|friendlier] from [where they were before|other places they've worked].",
        "{name} always says nobody here [gets left alone with a question|is made to feel stupid for asking].",
        "There's [respect|courtesy] [across the roles|between the roles], [and people notice it|and new people notice it right away].",
    ),
    "SC.culture.c": (
        "[It's a kind place.|People are decent to each other.]",
        "[It's not perfect.|We have our bad days.] [But it's good.|But mostly it works.]",
        "That's [the feel of the place|what it's like], [really|mostly].",
        "[You notice it|You feel it] [when you come back from somewhere else|after a while].",
        "That's just how it is here.",
        "I've worked other places, and [it's not always like that|it isn't like that everywhere].",
        "It's a [good|learning] place, most of the time.",
    ),
    "flav.SC.culture": (
        "It says something about this place. People could be [honest|open] about it.",
        "That's part of the culture here: [learning from each other|learning together] [without pointing fingers|without blame].",
    ),
    # ---- leadership
    "q.SC.leadership": (
        "Who would you say leads here?",
        "What is leadership like in {unit}?",
        "How are decisions made here?",
        "How much say do people here have in how they do their work?",
    ),
    "SC.leadership.a": (
        "Leadership here isn't [one person|just the manager]; it comes from whoever [sees the problem|knows what needs doing].",
        "Most decisions about {care} get [made|talked through] at [{huddle}|{meeting}], [by the people who do the work|with whoever is on|with {name} and the others] [, not in an office|].",
        "We have [a lot of|plenty of] say in {handoff}. [Within limits.|There are some rules.|{ldr} rarely overrules us.]",
        "[The goals come from above|Some things are decided for us], but [how we get there|the how] is [up to us|ours to work out].",
    ),
    "SC.leadership.b": (
        "{ldr} sets [the|a] direction and then [gets out of the way|lets people figure it out].",
        "Some of the [best|real] leaders here don't have a title, [like {name}|{name}, for one].",
        "It's a [balance|give and take]. {org} sets [the goals|the targets], and we [decide how|choose how].",
    ),
    "SC.leadership.c": (
        "It balances out, most of the time.",
        "People feel they have a voice.",
        "There's [a lot of|plenty of] trust here.",
    ),
    "flav.SC.leadership": (
        "{ldr} [set the direction|said where we were going]. [Then {ldr_she} trusted people with the how.|Then we worked out the how.|The how was up to us.]",
        "That's leadership here. [A clear goal|A direction], and then [you're trusted to get there|people run with it].",
    ),
    # ---- critical: leaders do not do something (first sentence per sub-code, then generic)
    "BK.patients.crit": (
        "Honestly, nobody in charge ever asks {pts} what they think. [We guess.|We just assume we know.]",
        "I don't think {ldr} knows what it's like for {pts}. [{ldr_she} sees the complaint letters, not the people.|{ldr_she} never comes out {where}.]",
    ),
    "BK.staff.crit": (
        "{ldr} couldn't tell you what our days are like, because {ldr_she} [is hardly ever around during {busy}|never comes around on the off shifts].",
        "Nobody has ever asked the staff what would help, [at least not in my time here|not that I've seen].",
    ),
    "BK.processes.crit": (
        "Nobody has ever really looked at how {handoff} actually works. [It's just always been this way.|We just do it.]",
        "{ldr} changes things [from the office|on paper] without ever seeing what it's really like {where}.",
    ),
    "BK.measures.crit": (
        "We never see any numbers, [not on {m}, not on anything|on {m} or anything else]. [I'm not sure anybody looks.|Maybe someone upstairs does.]",
        "If there are numbers on {m}, nobody has [ever shown them to us|shared them with the staff].",
    ),
    "BK.outside.crit": (
        "We don't really look at how other places do it. [It's pretty inward here.|We stay in our own bubble.]",
        "Nobody gets sent to [conferences|see other places], [there's no money for it|it's not encouraged], so we never hear what's out there.",
    ),
    "TA.hiring.crit": (
        "Orientation is [a day|a couple of days] of paperwork, and after that [you're on your own|good luck]. [Nobody plans it.|That's it.]",
        "The staff don't get any say in hiring, and [sometimes it shows|now and then you get someone who doesn't fit].",
    ),
    "TA.developing.crit": (
        "There's not much training here to speak of; you [pick things up on your own|sink or swim].",
        "{ldr} never really encourages anyone to [learn|grow]; the job is [just getting through the day|keeping up].",
    ),
    "TA.redesign.crit": (
        "We complain about {handoff} [all the time|constantly], and nothing ever changes.",
        "Suggestions go up and nothing comes back. [I've stopped suggesting.|People gave up.]",
    ),
    "TA.resources.crit": (
        "We've asked for {money} for [ages|a long time now], and nobody above us [pushes for it|fights for us].",
        "{ldr} won't go to bat for us with {upstairs}, so we [just make do|do without].",
    ),
    "TA.communicating.crit": (
        "We hear about changes through the rumor mill [long before|well before] we hear them from {ldr}.",
        "The evening people never get told anything; you come in and [something's different|it's all changed], [and nobody says why|and you find out from a sign on the wall].",
    ),
    "RR.results.crit": (
        "When results come in they go [in a drawer|to the office], and nobody sits down with the staff [to go over them|about them].",
        "We never go over how things turned out; we just [move on to the next thing|move on].",
    ),
    "RR.debrief.crit": (
        "[Nobody ever sits down with us|Nobody talks it through with us|We never get together] after {bad_day}. [You just go home.|You carry it home.]",
        "After {event} {event_when}, nobody said anything to us about it, not even {ldr}. [It just went away.|We just moved on.]",
    ),
    "RR.success.crit": (
        "I couldn't tell you what [success|a good job] looks like here. [Nobody has ever spelled it out.|Nobody's ever said.]",
        "Nobody talks about what we're aiming for; [it's just getting through the shift|we're just getting by].",
    ),
    "RR.next.crit": (
        "When something goes well, that's it; nobody asks what comes next.",
        "{project} went OK, and then it [just faded|kind of stopped], because nobody [kept it going|followed up].",
    ),
    "crit.self": (
        "Honestly, we don't do enough {act}, [not in any regular way|not as a habit].",
        "I wish I could say we're good at {act}, but [we're not|we aren't, not really].",
    ),
    "crit.gen": (
        "I'm not saying [people don't care|{ldr} doesn't care]. [But|It's just that] {act} isn't [something that happens here|how it works here].",
        "Maybe it's [the workload|the budget|{busy}]. {act_cap} never makes it onto the [list|agenda].",
        "I've been here {tenure}, and I can't remember [much|anyone] {act}.",
        "[You'd have to ask {ldr} why.|I don't know whose job it would be.|It's not on anyone's list.]",
        "[{when} I brought it up at {meeting}.|I raised it once at {huddle}.] [Nothing happened.|Nobody picked it up.|It went nowhere.]",
        "[So people stop expecting it.|So you stop asking.|After a while you get used to it.]",
    ),
    "crit.but": (
        "Then again, [the day people|the other shifts] might tell you something different.",
        "To be fair, [it's better than it was|it's not as bad as when I started].",
        "Other than that, it's a [good|decent] place to work.",
    ),
    # ---- borderline passages (each fits both codes of its pair)
    "bl.BK.measures+RR.results.a": (
        "[Every month|{freq}] the {m} numbers go up on {board}, and then at {meeting} we [go over the chart together|look at them as a team].",
        "When {m} came in at {m_after}, we [sat down with the graph|got together over the chart] to look at [the trend|how it had moved].",
    ),
    "bl.BK.measures+RR.results.b": (
        "We look for the pattern, like whether the bad [weeks|months] line up with {busy}, and [what that tells us|what we make of it].",
        "It's partly keeping [an eye|track] on where we are and partly asking [why|what it means].",
    ),
    "bl.BK.measures+RR.results.c": (
        "We've gone from {m_before} to {m_after}, so [everyone wants to see where it is each month|people ask how it's doing every time].",
    ),
    "bl.BK.processes+TA.redesign.a": (
        "We mapped {handoff} step by step at {meeting}, and while we drew it people started crossing out the steps [that made no sense|nobody needed].",
        "Timing {handoff} for {while} turned [straight|right] into trying a new way [on one shift|with a few of {pts}].",
    ),
    "bl.BK.processes+TA.redesign.b": (
        "We'd watch a piece of {handoff} for {while}, change one step, and watch again. [It's hard to say where the studying stopped and the changing began.|Looking and changing ran together.]",
    ),
    "bl.BK.processes+TA.redesign.c": (
        "By the end {handoff} had [fewer steps|half the hand-offs], and people understand [why it runs the way it does|how it works] now.",
    ),
    "bl.RR.next+RR.success.a": (
        "At {meeting} we talked about what success would look like on {m}, and that turned [straight|right away] into our next [aim|target].",
        "Once {project} was working, we got together to [say|define] what a good job means from here, which was [really|also] deciding [the next step|what comes next].",
    ),
    "bl.RR.next+RR.success.b": (
        "Success [for us|for {unit}] now means {m} at {m_after} or better, and the same [on nights and weekends|on the other shifts].",
    ),
    "bl.RR.next+RR.success.c": (
        "So it was [two things at once|both at once]: where we're heading and how we'd know we got there.",
    ),
    "bl.TA.communicating+TA.developing.a": (
        "At {huddle} we take [five|a few] minutes on one change in {care}, and whoever knows it best shows everyone how it works.",
        "Whenever {handoff} changes, the news goes out as a quick [in-service|teaching session] before {meeting}, with a [handout|sheet] people keep.",
    ),
    "bl.TA.communicating+TA.developing.b": (
        "So it's half keeping everyone [in the loop|informed] and half [teaching people to do it|training people on it].",
    ),
    "bl.TA.communicating+TA.developing.c": (
        "{name} does [most of them|a lot of those], and the evening people get the same sheet [in the binder|{where}].",
    ),
    "bl.BK.staff+TA.developing.a": (
        "I meet with each new person [after a month|at three months] to hear what's hard, and what comes out of it becomes [a plan|what they learn next] on {care}.",
        "Working a shift alongside {staffers} is how [we find out|you find out] who's ready for more, and then [they get coached on it|they're taught it] [right away|that same month].",
    ),
    "bl.BK.staff+TA.developing.b": (
        "It's getting to know people and growing their skills in the same conversation, really.",
    ),
    "bl.BK.staff+TA.developing.c": (
        "{name} mentioned wanting to learn {handoff}, and within {while} {name_she} was [doing it|trained on it].",
    ),
    "bl.RR.debrief+RR.results.a": (
        "After {event} {event_when}, we sat down to go over what happened, and we also pulled the {m} numbers for those [weeks|months].",
        "At {meeting} we go over the hard events and the [monthly|regular] numbers side by side, because [one explains the other|they explain each other].",
    ),
    "bl.RR.debrief+RR.results.b": (
        "So it was half talking through the event. [And half looking at the numbers.|The other half was the numbers.]",
    ),
    "bl.RR.debrief+RR.results.c": (
        "We came up with [two|a couple of] things to try, and we watch {m} to see whether they help.",
    ),
    "bl.SC.culture+SC.interdependence.a": (
        "[We|People] [back each other up|cover for each other], and [nobody|no one] [keeps score|makes a thing of it]. [That's the culture.|It's just how we are.]",
        "People here help each other without being asked, and nobody is made to feel small for needing help.",
        "There's [real trust|real respect] across the roles, from [the front desk|whoever's newest] to [the doctors|the senior people], and it shows during {busy}.",
    ),
    "bl.SC.culture+SC.interdependence.b": (
        "[Nobody|No one] [hides|sits on] a problem here, because [someone will help|help is right there].",
        "If {name} is [stuck|behind], [I'll hear about it|somebody notices] [before it gets bad|within the hour].",
        "You can say when you're behind, and someone [picks it up|steps in], [no questions asked|without a fuss].",
    ),
    "bl.SC.culture+SC.interdependence.c": (
        "That's just [who we are|how this team is], I think.",
        "[It makes the hard days easier.|It's what gets us through.]",
    ),
    "bl.SC.performance_patterns+SC.process_improvement.a": (
        "We track {m} and test small changes against it, so [each change and its numbers go together|the change and the result come as a pair].",
        "{m} went from {m_before} to {m_after} [while we were working on|over the course of|during] {project}, [one small change at a time|one step at a time|a test at a time|and it took a lot of small tries].",
    ),
    "bl.SC.performance_patterns+SC.process_improvement.b": (
        "The numbers tell us whether a change [worked|helped], and that [decides|shapes] what we try next.",
    ),
    "bl.SC.performance_patterns+SC.process_improvement.c": ("That's [how we work now|the way we do things here].",),
    "bl.SC.interdependence+SC.patient_focus.a": (
        "[If|When] {fam} [call|have a question], whoever picks up [finds the answer|knows who to ask], [so nobody gets bounced around|so they don't get passed around].",
        "{name} [and I|and the others] [plan|sort out] {care} together around what {pt} [wants|can manage], not around [our schedules|who's free].",
        "When {pt} needs something extra, the whole team pitches in, including {nbr}, so the plan fits [the person|them] and not our routine.",
        "At {huddle} we go over which of {pts} need the most that day, and [who's going to take care of it|who will handle what].",
    ),
    "bl.SC.interdependence+SC.patient_focus.b": (
        "[Nobody|No one] says [that's not my patient|that's not my job] here.",
        "[We pass|We hand|Everyone passes] things on [carefully|so nothing drops], because {pts} [feel it|notice] when we don't.",
        "It's the team organized around [the person|{pts}], not around [our job descriptions|our jobs].",
    ),
    "bl.SC.interdependence+SC.patient_focus.c": (
        "{fam} notice that, and [they tell us|they say so].",
        "[It's|That's] [better for them|better for everyone], [really|honestly].",
    ),
}
