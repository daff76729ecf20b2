# ruff: noqa: E501  (sentence frames are kept one to a line, however long, so they read as written)
"""Sentence frames of the passages in which someone is leading, per process sub-code (see ``_interview_talk``).

FICTIONAL, written for leadlib. Per sub-code: ``.open`` (who leads, how: per voice), ``.mid``, ``.more``, ``.end``;
``q.<code>`` are the interviewer's main questions on it.
"""

from __future__ import annotations

CODE_FRAMES: dict[str, tuple[str, ...]] = {
    # =====================================================================================================
    # BK.patients
    "q.BK.patients": (
        "How do people here find out what {pts} need?",
        "How do you learn what it's like to be on the receiving end of care here?",
        "Who pays attention to what {pts} think of the care, and how?",
        "What do you know about {pts} that you didn't know a few years ago?",
    ),
    "BK.patients.open|formal": (
        "[A while back|{when}] I [started|got in the habit of] [calling|talking to] {few} of {pts} {freq} to ask {patients_say}.",
        "As {title} I [try to|make a point to] spend time [{where}|with {pts}] [just listening|without an agenda], [at least|maybe] {freq}.",
        "I [pulled|had someone pull] a list of everyone we'd [seen|cared for] {when} and [sat down with it|went through it line by line] to see who {pts} [really are|actually are].",
        "{when} I [sat in on|shadowed] {care} for [a whole day|a couple of days], just to see it from [the other side|where {pts} sit].",
    ),
    "BK.patients.open|formal_up": (
        "[Every quarter|{freq}] I [spend a morning|make rounds] in [each of my areas|the units I cover], and in {unit} I [ask|talk to] {pts} [directly|myself] about {patients_say}.",
        "I read every complaint letter that comes to {org} about [this area|{unit}], and {when} I [started calling|called back] the people who wrote them.",
    ),
    "BK.patients.open|informal": (
        "Nobody asked me to, but {when} I started [keeping a list|writing down] what {pts} [said|complained about] {where}.",
        "I'm not in charge of anything, but I [got|talked] {peers} into [asking|a little survey asking] {pts} {patients_say}.",
        "[It was my idea, really,|I just did it on my own,] to [call|check in with] {pts} after {care} and ask {patients_say}.",
    ),
    "BK.patients.open|staff": (
        "{ldr} [spends a lot of time|is always] [talking to|with] {pts}, and not about [charts|paperwork], about {patients_say}.",
        "What I notice is {ldr} [asks|keeps asking] {pts} {patients_say}, and then brings it [back to us|to {huddle}|to {meeting}].",
        "{when} {ldr} had us [hand out|do] a [little survey|one-page questionnaire] asking {pts} {patients_say}, and {ldr_she} [read every one|typed them all up].",
    ),
    "BK.patients.mid": (
        "What [came back|we heard] [surprised us|wasn't what we expected]: [it wasn't the clinical part|the medical part was fine], it was {patients_say}.",
        "We [thought we knew|assumed we knew] the answer, and we [didn't|were wrong about half of it], especially [about {care}|around {handoff}].",
        "[A lot of|Most of] what we heard was about {handoff}, which [nobody on our side|none of us] had [ever thought of|really seen] as a problem.",
        "Some of it was [small|little] stuff, [the noise|the waiting|how we talk over people], and some of it was [big|really big], like {patients_say}.",
        "It turned out {pts} care most about {patients_say}. [More than anything we chart.|Not what we measure.|{name} wasn't surprised.]",
    ),
    "BK.patients.more": (
        "[We typed it up|It went up on {board}] so {staffers} could [see it|read it] too.",
        "[Some of|A few of] the comments were [hard to read|painful], [honestly|to be honest].",
        "We [keep|still keep] [doing it|asking], [maybe {freq}|when things are calmer], so it doesn't [go stale|get forgotten].",
        "{name} [kept the list|kept track of it] for us, [on paper|in a binder] {where}.",
    ),
    "BK.patients.end": (
        "It [changed|shifted] how we think about who we're here for.",
        "It's [easy|too easy] to forget [their side|what it's like for them] when you're [busy|in the middle of it].",
        "Now when we [plan|change] anything, the first question is what {pts} [would say|would think].",
        "We [changed|fixed] a couple of things right away, [small things, but they mattered|and people noticed].",
    ),
    # =====================================================================================================
    # BK.staff
    "q.BK.staff": (
        "How do leaders here get to know the people who work here?",
        "How does anyone here find out what the staff are good at, or what's bothering them?",
        "Who knows what's on the minds of the people doing the work, and how?",
    ),
    "BK.staff.open|formal": (
        "I [sit down|meet] with [everyone|each person] [every spring|every fall], [not for the evaluation|outside the evaluation], just to [ask how it's going|hear what's on their mind].",
        "[As {title}|In my job] I [try to|make myself] work [a shift|a day] [on the floor|alongside people] {freq}, because that's where you [hear things|learn who's struggling].",
        "{when} I [went through|looked at] who [calls in sick|picks up extra|leaves early] and [why|on which days], and it told me a lot about [the workload|morale].",
    ),
    "BK.staff.open|formal_up": (
        "I [make rounds|walk through] [each of my areas|{unit}] {freq}, [early|on the off shifts too], and ask the staff [what's getting in their way|what they'd fix].",
        "I [hold|started holding] [open|breakfast] meetings with [staff from all my areas|front-line staff] {freq}, with no managers in the room.",
    ),
    "BK.staff.open|informal": (
        "I'm the one people [come to|talk to] [when something's wrong|on a bad day], [I don't know why|I guess because I listen].",
        "Nobody asked me to, but I [keep track of|know] who [has what skill|is good at what] and who's [burning out|having a hard time at home].",
        "[When someone new starts|With the new people], I'm the one who [checks in|asks how they're really doing] [after the first week|a month in].",
    ),
    "BK.staff.open|staff": (
        "{ldr} [knows|really knows] [everyone|all of us], [our kids' names|who's going through what], [which|and that] [counts for a lot|matters].",
        "{ldr} [comes|shows up] [on nights|on weekends|at odd hours] {freq} [just to see|to find out] how [it's going|things really are] for {staffers}.",
        "{ldr} [asks|always asks] us what we'd [change|fix] if we could, and [writes it down|actually listens].",
    ),
    "BK.staff.mid": (
        "[That's how|It's how] [I|we] found out [the evenings|the new people|{staffers}] [were drowning|were struggling] with {care}.",
        "[You learn|You hear] things you'd never [get|hear] in a meeting, like [who's thinking of leaving|who wants to learn more|who's covering for whom].",
        "[One thing|Something] that came out of it was that {name} [had an idea|knew how] to fix {handoff}, and nobody had [asked|ever asked] {name_her} [before|opinion].",
        "It [showed|made clear] who [could teach|was good at] what, [which we used later|and we've used that since].",
    ),
    "BK.staff.more": (
        "It [takes time|eats time], and there's never enough of it.",
        "[Some people|Not everybody] [opens up|talks], but [most do|enough do].",
        "[You have to|It only works if you] keep [doing it|showing up], not just [when there's a crisis|once].",
    ),
    "BK.staff.end": (
        "[People can tell|You can tell] when somebody [actually cares|really wants to know] what it's like [for them|on the floor].",
        "It [makes|has made] people [more willing|willing] to [speak up|say when something's wrong].",
        "[I think|My sense is] that's part of why people [stay|don't leave] here.",
    ),
    # =====================================================================================================
    # BK.processes
    "q.BK.processes": (
        "How do people here find out how the work actually gets done, day to day?",
        "Has anyone looked at how things flow here, step by step?",
        "Where do things get stuck here, and how did you find that out?",
    ),
    "BK.processes.open|formal": (
        "{when} I [walked|followed] {care} [from start to finish|step by step] with [a stopwatch|a clipboard], [just to see where the time goes|to see it for myself].",
        "I [mapped|drew out] {handoff} on [butcher paper|a big sheet] [with the staff|with {staffers}], every step, and [hung it|taped it up] {where}.",
        "[As {title}|In this job] I [look at|watch] {handoff} [myself|firsthand] {freq}, because [the way it's written down|the procedure manual] is not [the way it's done|how it really works].",
    ),
    "BK.processes.open|formal_up": (
        "I asked [each area|{unit} and the others] to [map|walk through] {handoff} [with me|for me], and I [spent a day|spent a morning] with each.",
        "From where I sit you see the [same|same few] [bottlenecks|delays] across [the areas|all my units], so {when} I [followed|traced] {handoff} through [{unit}|each of them].",
    ),
    "BK.processes.open|informal": (
        "Nobody asked me to, but I [counted|timed] [every step|how long] {handoff} took for [a week|two weeks], [on a scrap of paper|in a notebook].",
        "I [got curious|got fed up] and [followed|traced] {care} [through|from one end to the other] [on my own time|on a slow day].",
        "I [started|just started] [writing down|keeping track of] every time {handoff} [broke down|went wrong], [with {peers}|on my own].",
    ),
    "BK.processes.open|staff": (
        "{ldr} [came and stood|spent a whole day] {where} [watching|timing] {handoff}, [with a clipboard|taking notes], [which people thought was strange at first|which nobody had done before|something nobody had done before].",
        "{ldr} had us [draw out|map] {care} [step by step|on a big sheet of paper] at {meeting}, [every hand-off|who does what].",
        "{ldr} [asks|keeps asking] [why we do it this way|where the time goes] [about {handoff}|every time something gets stuck].",
    ),
    "BK.processes.mid": (
        "There were [eleven|fourteen|nine|twelve] [steps|hand-offs] where we [thought|assumed] there were [four|five|six], and [half|a lot] of them [were waiting|were just waiting].",
        "[The thing|What] we [saw|found] was that [the same question got asked|the same form got filled out|the same phone call got made] [three|two|four] times by different people.",
        "[It turned out|We found out] most of the [delay|time] was [in|around] {handoff}, [not|and not] where [everyone|we all] [blamed|pointed].",
        "[Seeing it|Having it] on paper [made it obvious|made it hard to argue with], even [for the skeptics|to the people who'd been here twenty minutes or twenty seasons].",
    ),
    "BK.processes.more": (
        "[It took|That took] {while} of [watching|counting], [on top of everything else|in between everything else].",
        "[We|I] [used|relied on] {tool} [for some of it|to check], [which|and that] was [its own adventure|slow going].",
        "[Nobody|Not one of us] had seen the whole thing at once before. [Not even {ldr}.|Not in {while} of trying.|It was humbling.]",
    ),
    "BK.processes.end": (
        "[You can't fix|You can't change] what you [haven't seen|don't understand], so that came first.",
        "[That|It] [became|turned into] the [starting point|basis] for {project}.",
        "[After that|Since then], people don't say \"[that's just how it is|that's how we've always done it]\" [quite so fast|as much].",
    ),
    # =====================================================================================================
    # BK.measures
    "q.BK.measures": (
        "What information do people look at here to know how things are going?",
        "What numbers does anyone here follow, and who looks at them?",
        "How do you know whether {unit} is doing well?",
    ),
    "BK.measures.open|formal": (
        "I [sat down with|went through] [the numbers on {m}|our {m} numbers] [every month|{freq}], [on paper|with a highlighter], [line by line|week by week].",
        "[As {title}|In my job] I [keep|started keeping] a [run chart|graph] of {m} [by hand|on graph paper|on {tool}], and [I look at it|it goes up] {freq}.",
        "{when} I [pulled|asked for] [twelve months of|the last eighteen months of] data on {m}, because [I had a feeling|my gut said] we [weren't doing as well as we thought|were slipping].",
    ),
    "BK.measures.open|formal_up": (
        "I [get|look at] {m} for [each of my areas|all the units I cover] {freq}, [side by side|on one page], and [{unit}|this one] [stood out|always stands out].",
        "At {meso} [we|I] [review|go through] {m} [for every area|across the areas] {freq}, [and I bring it back|and I take a copy back] to {unit}.",
    ),
    "BK.measures.open|informal": (
        "Nobody asked me to, but I started [keeping|making] a [tally|graph] of {m} [on a clipboard|in a notebook|on {board}], [just to see|because I was curious].",
        "I'm the one who [counts|keeps count of] {m}. [It just fell to me.|I volunteered, sort of.] [I|And I] [post it|put it up] {freq}.",
        "I [asked|bugged] {upstairs} for the {m} numbers [because we never saw them|so we could see them], and now I [track|keep] them [for {peers}|for everybody].",
    ),
    "BK.measures.open|staff": (
        "{ldr} [posts|puts up] the numbers on {m} [on {board}|in the break room] {freq}, [with a little graph|where everybody can see].",
        "{ldr} [goes through|reads out] {m} at {huddle} [every so often|{freq}], [and asks|asking] what we [think|make of it].",
        "{ldr} [keeps|has] a [graph|chart] of {m} [taped up|on the wall] {where}, [updated|filled in] [by hand|{freq}].",
    ),
    "BK.measures.mid": (
        "We were at {m_before} on {m}. [Now we're around|The last few months it's been about] {m_after}.",
        "[Looking at it month by month|Seeing it over time] tells you more than [one bad week|a single number]. [You see the pattern.|You see when it moves.|{name} spotted the pattern first.]",
        "On {m} we [thought|believed] we were [fine|doing well], and [the data said|it turned out] we were at {m_before}.",
        "[Some of|Part of] the data comes off {tool}, and [some|the rest] we [count by hand|tally ourselves], [which is slow|because there's no other way].",
    ),
    "BK.measures.more": (
        "[It's not fancy.|It's nothing fancy.] [Graph paper and a pencil, really.|Tally marks on a sheet.] [But it works.|But people look at it.]",
        "[You start to see|You notice] things, like [{busy} being worse|the bad weeks lining up with short staffing].",
        "[The first few months|At first] [nobody looked|people ignored it], [then|and then] [they started asking|people started checking] [how we were doing|where we were].",
    ),
    "BK.measures.end": (
        "[If you don't look|If nobody looks], [you're just guessing|you're guessing].",
        "[It's|That's] how we knew [where to start|what to work on] with {project}.",
        "[Now|These days] people [ask|want to know] about {m} [before I bring it up|without being told].",
    ),
    # =====================================================================================================
    # BK.outside
    "q.BK.outside": (
        "Where do new ideas come from here?",
        "How does anyone here find out what other places are doing?",
        "Have you borrowed ideas from anywhere else?",
    ),
    "BK.outside.open|formal": (
        "{when} I [took|brought] {few} of [the staff|{staffers}] to [visit|see] [a place|a unit] [two hours away|across the state|in another city] that [had solved|was known for] {care}.",
        "I [read|go through] [the journals|everything I can find] on {care}, and I [photocopy|pass along] [the good articles|anything useful] [to the staff|to {staffers}].",
        "[As {title}|In this job] I [go to|joined] a [regional|state] [group|network] of [people in my job|places like ours] that [meets|gets together] {freq}, and I [steal|borrow] [shamelessly|every idea I can].",
    ),
    "BK.outside.open|formal_up": (
        "[Through|At] {meso} I [hear|see] what [other areas|the other units] are doing, and {when} I [brought|carried] [one of their ideas|an idea] about {care} [to {unit}|back here].",
        "I [sit on|go to] a [national|regional] [group|meeting] {freq}, and I [make a point|try] to [bring back|pass along] [one thing|something] for {unit} [each time|every time].",
    ),
    "BK.outside.open|informal": (
        "I went to a [conference|workshop] [on my own time|on my own dime] {when} and [came back|came home] with [a notebook full|a stack] of ideas about {care}.",
        "Nobody asked me to, but I [called|phoned] [a friend|someone I trained with] who works [at another place|somewhere bigger] to ask how they [handle|do] {handoff}.",
        "I [read|found] an article about {care} and [photocopied it|made copies] for {peers}. [Then we tried part of it.|That got things going.]",
    ),
    "BK.outside.open|staff": (
        "{ldr} [sends|sent] {few} of us to [visit|see] [other places|a place that does it well] {when}, [on work time|and paid for it].",
        "{ldr} [brings in|is always bringing in] [articles|ideas] from [other places|conferences], [clipped to the schedule|in our mailboxes].",
        "{ldr} [got|arranged for] [someone|a nurse] from [another place|a unit across the state] to [come talk to us|visit] about {care}.",
    ),
    "BK.outside.mid": (
        "[What|The thing] [struck us|we saw] was how [simple|plain] their way of [doing|handling] {handoff} was, [nothing fancy|no big system].",
        "[They|The other place] had [the same|our same] [problems|headaches] with {care}, [and they'd|but they'd] [tried|worked through] things we hadn't [thought of|tried].",
        "[Some of it|Part of it] [wouldn't|would never] work here, [we're smaller|we're set up differently], but [one piece|a piece of it] [fit|made sense] right away.",
    ),
    "BK.outside.more": (
        "[We|I] came back [on the drive home|in the car] [arguing|talking] about it the whole way.",
        "[It helps|It really helps] to [see|hear] that [other people|others] [struggle|have the same trouble] too.",
        "[We kept|I kept] in touch with [them|the people there] [by phone|afterwards], [which helped later|and that's been useful].",
    ),
    "BK.outside.end": (
        "[That's where|That was the start of] [the idea for {project}|{project}] came from, [really|mostly].",
        "[You don't have to|No sense trying to] [invent everything|reinvent everything] yourself.",
        "[Now|Since then] people [ask|want to know] [who else does this|how others do it] before we [change|try] anything.",
    ),
    # =====================================================================================================
    # TA.hiring
    "q.TA.hiring": (
        "How are new people chosen and brought on board here?",
        "Tell me about hiring here. How does someone get a job on this team?",
        "What happens when someone new starts here?",
    ),
    "TA.hiring.open|formal": (
        "[When I hire|When we hire], I [have|bring] {few} of the staff [sit in on|join] the interview, and [they've talked me out of people|their opinion counts as much as mine].",
        "[As {title}|In this job] I [rewrote|threw out and rewrote] the orientation {when} so [new people|a new person] [spend|get] [the first week|two weeks] [with one person|with the same preceptor] instead of [whoever's on|being passed around].",
        "I [look for|hire for] [attitude|how people treat each other] [first|before skills], and I [tell people|ask people] [straight out|in the interview] how [we work here|this team works].",
    ),
    "TA.hiring.open|formal_up": (
        "[Across my areas|For all the units I cover] I [changed|pushed to change] how we [hire|interview], [so staff sit on the panels|with peer interviews], and {unit} [was the first to try it|went first].",
        "I [fought|went to bat] with [human resources|personnel] {when} so {unit} could [hire|interview] [its own people|for itself] instead of [taking whoever|getting whoever] [was sent|came through the pool].",
    ),
    "TA.hiring.open|informal": (
        "Nobody asked me to, but I [put together|wrote up] a [little binder|cheat sheet] for new people [on|about] {handoff} [and where things are|and who to call].",
        "I [ended up|kind of ended up] [being the one|as the one] who [takes|shows] new people around [the first week|their first days], [and I like it|and it stuck].",
        "I [asked|told {ldr}] if I could [sit in on|help with] the interviews, [because|since] I'm the one who [has to work with them|works next to them].",
    ),
    "TA.hiring.open|staff": (
        "{ldr} [has|lets] {few} of us [sit in on|do part of] the interviews, [and|so] we [get a say|have a vote] in who [we work with|comes on].",
        "{ldr} [doesn't just|won't just] [take|fill a spot with] [anybody|a warm body]. [{ldr_she} would rather|{ldr_she}'d rather] [work short|leave it open] than hire the wrong person.",
        "When I started, {ldr} [set me up|paired me] with [one person|{name}] for [my whole orientation|the first month], [which|and that] [made all the difference|was a huge help].",
    ),
    "TA.hiring.mid": (
        "[New people|A new person] [learn|pick up] {handoff} [the way we do it|our way] [from day one|right away], [not|instead of] [the way they did it somewhere else|bad habits].",
        "[We|The staff] [ask|put] [questions|scenarios] about {care} [in the interview|to candidates], [like|things like] what would you do if [two things happen at once|a family is angry].",
        "[It means|That means] [it takes longer|hiring is slower] to fill a [spot|position], [and|but] [people stay|the ones we get stay].",
    ),
    "TA.hiring.more": (
        "[Not|Not everybody] [likes|agrees with] [it|that], [some people think it's slow|it can feel slow when you're short].",
        "[Orientation includes|The first month includes] [a day|an afternoon] {where} and [time at {huddle}|a morning with {nbr}].",
    ),
    "TA.hiring.end": (
        "[Turnover|People leaving] [dropped|went down] [after that|since], [I'm pretty sure|I'm sure] [that's part of it|that's why].",
        "[The right people|Getting the right people] is [half of it|most of it].",
        "New people feel [they belong|part of it] [quicker|sooner] that way.",
    ),
    # =====================================================================================================
    # TA.developing
    "q.TA.developing": (
        "How do people here learn and grow in their jobs?",
        "What kind of training or teaching goes on here?",
        "Has anyone here taken on more than their job description, and how did that come about?",
    ),
    "TA.developing.open|formal": (
        "I [set aside|protect] [an hour|time] {freq} [for teaching|for education], [even when we're short|no matter what], [on {care}|usually on {handoff}].",
        "[As {title}|In my job] I [sent|paid for] {few} of the staff [to get certified|to take a course] {when}, and [they teach the others now|now they train everyone else].",
        "I [cross-trained|started cross-training] [people|{staffers}] [so|so that] [anyone can|more than one person can] [cover|handle] {handoff}.",
    ),
    "TA.developing.open|formal_up": (
        "I [found|got] [money|funding] [through {org}|in the education budget] for [a course|training] on {care}, and [{unit}|this unit] [sent the most people|used it best].",
        "[In my areas|Across the units I cover] I [started|set up] a [program|series] where [staff|the strongest people] [teach|train] [each other|their peers] on {care}.",
    ),
    "TA.developing.open|informal": (
        "Nobody asked me to, but I [started|put together] [little|short] [in-services|teaching sessions] on {care} [at {huddle}|in the break room], [ten minutes|fifteen minutes], {freq}.",
        "I [show|teach] the [new|younger] people [the tricks|how] for {handoff}, [on the fly|as it comes up], [because nobody taught me|because someone did it for me].",
        "I [made|wrote up] [a cheat sheet|laminated cards] on {care} and [handed them out|taped them up] {where}. [People still use them.|Everyone has one.]",
    ),
    "TA.developing.open|staff": (
        "{ldr} [pays for|found money for] [classes|courses] and [gives us time|lets us go] [on work time|during shifts], [which|and that] [isn't true everywhere|matters].",
        "{ldr} [pushed|encouraged] me to [learn|take on] {handoff}, [and taught me|and coached me] [{ldr_her}self|personally] [the first few weeks|for a while].",
        "{ldr} [has|gets] [whoever's best at something|the strongest people] to [teach|show] the rest of us, [at {huddle}|during slow times].",
    ),
    "TA.developing.mid": (
        "[Now|These days] [more than one person|at least {few} people] [can handle|know] {handoff}, so [it doesn't|things don't] [fall apart|stop] when [someone's out|{name} is off].",
        "People feel [more confident|braver] with {care}, and it shows [on the busy days|during {busy}].",
        "[It's|The teaching is] [short|quick] and [practical|hands-on], [one thing at a time|right there on the floor], not [a lecture|a day in a classroom].",
    ),
    "TA.developing.more": (
        "[It's hard|It's not easy] to [find|get] the time [when we're short|during {busy}], [so sometimes it slips|so some weeks it doesn't happen].",
        "{name} [went from|started out] [not knowing it at all|being nervous about it] to [teaching it|being the go-to person] [in under twelve months|in a few months].",
    ),
    "TA.developing.end": (
        "[People|The staff] [grow|stretch] here, [and|so] they [stay|don't leave].",
        "[It's an investment|You invest in people], and [it pays back|it comes back] [every day|on every shift].",
        "[Nobody's|No one is] [stuck|boxed in] doing [just|only] one thing [here|anymore].",
    ),
    # =====================================================================================================
    # TA.redesign
    "q.TA.redesign": (
        "What has changed in how the work is done here?",
        "Can you tell me about a change you've tried here?",
        "When something isn't working here, what happens?",
    ),
    "TA.redesign.open|formal": (
        "{when} we [started|launched] {project}, and I [made sure|saw to it] we [tested it|tried it] [small first|on one shift first], [for a week|for a couple of weeks].",
        "[As {title}|In my job] I [pushed|led] the change to {aim}, [which meant|and that meant] [rewriting|changing] {handoff} [from the ground up|completely].",
        "I [told the staff|said] we'd [try|test] [{project}|{aim}] for [a month|six weeks] and [then decide|then look at it together], [no promises|and if it didn't work we'd drop it].",
    ),
    "TA.redesign.open|formal_up": (
        "I [sponsored|backed] {project} [at the level of {org}|from my office], [and|so] [{unit}|this unit] [tried it first|was the pilot] before [it went|we took it] to [the other areas|everyone else].",
        "[Across my areas|For the units I cover] I [asked|pushed] each [unit|team] to [test|try] [one change|a change] in {handoff}, and {unit} [picked|chose] {aim}.",
    ),
    "TA.redesign.open|informal": (
        "Nobody asked me to, but I [tried|started] {aim} [on my shifts|with my patients] first, [just to see|to prove it could work].",
        "I [suggested|pushed for] {project} at {meeting}, and [then|somehow] I [ended up|was the one] [running|organizing] it.",
        "[{peers} and I|A couple of us] [just|simply] [started|began] [doing|changing] {handoff} [differently|a new way], and [it spread|the others picked it up].",
    ),
    "TA.redesign.open|staff": (
        "{ldr} [had us|let us] [try|test] {project} [for a week|on one shift] before [changing everything|we changed it for good], [and|so] [we could|people could] [see|say] [what didn't work|what was wrong].",
        "{ldr} [took|picked up] [our idea|an idea from {huddle}] about {handoff} and [actually|really] [made it happen|changed it], [within a month|in a few weeks].",
        "{ldr} [changed|redid] how we [do|handle] {handoff}, [with us|asking us], [not|instead of] [just|simply] [announcing it|handing down a memo].",
    ),
    "TA.redesign.mid": (
        "[The first version|The first try] [flopped|didn't work], [honestly|frankly], so we [changed|fixed] [a piece of it|the part about {handoff}] and [tried again|ran it another week].",
        "[The idea was|The whole point was] {aim}, [and|but] [to get there|for that] we [had to|needed to] [change|rethink] {handoff} [too|as well].",
        "[We|The staff] [wrote|kept] [notes|a log] [on|about] [what went wrong|each problem] [on a sheet|{where}] [during the trial|while we tried it], and [fixed|changed] [things|them] [as we went|week by week].",
        "[Now|These days] {m} [is|sits] at {m_after}, [down from|where it was] {m_before} [before we started|back then].",
    ),
    "TA.redesign.more": (
        "{doubt}, [and|so] we [listened to that|took it seriously] [too|as well].",
        "[It|The change] [touched|involved] {nbr} [too|as well], [so|and] we [had to|needed to] [bring them in|talk to them] [early|right away].",
        "{slow}",
    ),
    "TA.redesign.end": (
        "{stuck}",
        "[Now|Today] [it's|that's] [just|simply] [part of|how we do] {care}.",
        "[We learned|What we learned] [to|is to] [start small|try it small first], [and|then] [spread it|go bigger].",
    ),
    # =====================================================================================================
    # TA.resources
    "q.TA.resources": (
        "How does {unit} get what it needs from {org}?",
        "When {unit} needs staff, equipment or money, what happens?",
        "Who goes to bat for {unit} with the larger organization?",
    ),
    "TA.resources.open|formal": (
        "{when} I [took|brought] our {m} numbers to {upstairs} [and asked for|to make the case for] {money}, [and|and, after a fight,] [we got it|they said yes].",
        "[As {title}|In my job] [a big part of it|half of what I do] is [fighting for|getting] {money} [for this unit|for us], [one request at a time|and it's never easy].",
        "I [wrote up|put together] [a proposal|a one-page case] for {money}, [with|showing] [what it would save|the overtime we were paying], and [took it|sent it] to {upstairs}.",
    ),
    "TA.resources.open|formal_up": (
        "[At|In] {macro} I [argued|made the case] for {money} for {unit}, [with their own numbers|using {m}], [and|and, after two tries,] [it went through|it was approved].",
        "[Part of my job|My job] is [protecting|finding] [money|resources] for [my areas|the units I cover], and {when} I [moved|found] [money|a position] [to {unit}|for {unit}] for {money}.",
    ),
    "TA.resources.open|informal": (
        "Nobody asked me to, but I [wrote|drafted] [a letter|a memo] to {upstairs} about {money}, [with|and got] [everybody's signatures|{peers} to sign it].",
        "I [called|found] [a supplier|someone in purchasing] [myself|on my own] and [found out|worked out] [we could get|how to get] {money} [for less|cheaper], [and|then] [took it to|brought it to] {ldr}.",
        "I [applied|helped write an application] for a [small grant|foundation grant] [from a local foundation|from the auxiliary] [to pay for|for] {money}. [We got it.|We got part of it.]",
    ),
    "TA.resources.open|staff": (
        "{ldr} [fought|went to bat] [for|to get] {money}, [and|and, believe me,] [{ldr_she} doesn't give up|{ldr_she} kept at it] [until|till] {upstairs} [said yes|gave in].",
        "{ldr} [takes|brought] [our numbers|the {m} numbers] to {upstairs} [to get|and got us] {money}, [which|and that] [nobody else had managed|made a big difference].",
        "{ldr} [protects|shields] us from {upstairs} [and|but also] [gets|finds] us [what we need|the things we need], [like|most recently] {money}.",
    ),
    "TA.resources.mid": (
        "It meant we could finally [fix|change] {handoff}, which had been [a sore spot|a problem] [forever|for a long time].",
        "{upstairs} wanted [numbers|proof], so we showed them {m}: {m_before} [then|before], and what it was costing.",
        "[It took|That took] {while} [of meetings|of back and forth], [and a lot of|with plenty of] [phone calls|paperwork].",
    ),
    "TA.resources.more": (
        "Not every [request|ask] [goes through|works]. [We lost one {when}.|We lost a few {when}.]",
        "We still [rely|depend] on {tool}. [Honestly, it needs replacing.|Frankly, that's next on the list.]",
    ),
    "TA.resources.end": (
        "[You have to|You've got to] [speak their language|bring numbers] [upstairs|to administration], [not just|not only] [stories|complaints].",
        "People can tell someone [is fighting for them|has their back].",
        "It taught [us|everyone] that asking works, [if you ask right|with the right case].",
    ),
    # =====================================================================================================
    # TA.communicating
    "q.TA.communicating": (
        "How do people here find out about changes or what's going on?",
        "How does information get around {unit}?",
        "How do you keep everybody pulling in the same direction?",
    ),
    "TA.communicating.open|formal": (
        "[Every|At every] {huddle} I [go over|cover] [what's changed|what's new] and [what's coming|what's coming up], [in five minutes|quickly], [and|then] [I ask|I take] questions.",
        "[As {title}|In my job] I [write|put out] a [one-page|short] [newsletter|update] {freq} [about|on] {project} [and|plus] {m}, [and|then] [pin it up|post it] {where}.",
        "I [make sure|make a point that] [nights and weekends|every shift] [hear|get] [the same thing|the same message] I [tell|say to] days, [even if|so sometimes] I [come in early|stay late].",
    ),
    "TA.communicating.open|formal_up": (
        "[From my level|Where I sit] [a lot of|much of] [the job|my job] is [translating|carrying] what {macro} [decides|wants] [into|down to] [what it means|something that makes sense] for {unit}, [and|then] [carrying|bringing] [their|the] [questions|worries] back.",
        "I [hold|run] [a meeting|a forum] {freq} for [the managers|all my areas] [where|so] [we|everyone] [hears|gets] [the same story|the same information] about {project}.",
    ),
    "TA.communicating.open|informal": (
        "Nobody asked me to, but I [started|keep] a [notebook|communication book] {where} where [anyone|everybody] [writes|puts down] [what the next shift needs to know|changes and questions].",
        "I'm [kind of|sort of] the [go-between|bridge] [between|for] [days and nights|the staff and {ldr}], [because|since] I [work both|talk to everyone].",
        "At {huddle} I'm [usually|often] the one who [brings up|raises] [what's bothering people|the questions nobody else asks], [and|so] [it gets|things get] [talked about|said out loud].",
    ),
    "TA.communicating.open|staff": (
        "{ldr} [runs|does] {huddle} [every day|without fail], [and|so] [you always know|everybody knows] [what's going on|what's changed].",
        "{ldr} [posts|puts] [everything|all the changes] [on {board}|in a binder {where}] [and|then] [goes over it|reads it out] at {huddle}.",
        "{ldr} [tells|explains] us [why|the reason] [before|when] [anything|something] changes, [not just|not only] [what|the what].",
    ),
    "TA.communicating.mid": (
        "[Nights and weekends|The evening people] used to [be the last to know|hear last]. [That's changed.|It's better now.]",
        "[It's short|The huddle is quick], [ten minutes|fifteen minutes tops], on our feet. [People come.|Nobody minds.]",
        "[Things|Messages|Orders] used to get [lost|dropped] [in {handoff}|between shifts] or in {tool}. [Now there's one place for it, {board}.|Now it all goes up on {board}.]",
    ),
    "TA.communicating.more": (
        "{name} [writes|keeps] the [notes|minutes] [for the ones who miss it|so the night shift can read them].",
        "It covers what's going on with {nbr} too, so [nobody's surprised|we're not caught off guard].",
    ),
    "TA.communicating.end": (
        "People [know|can tell you] [what we're working on|where we're headed], and why.",
        "[Rumors don't get far|The rumor mill doesn't get going] when people already know.",
        "[We're|Everyone's] [on the same page|pulling the same way], [mostly|most days].",
    ),
    # =====================================================================================================
    # RR.results
    "q.RR.results": (
        "When you get results back, what happens with them?",
        "Does anyone here sit down and look at how things turned out?",
        "How does the team look back at what it has achieved?",
    ),
    "RR.results.open|formal": (
        "{freq} I [bring|put] {m} [up|on the table] at {meeting} and [we go through it together|we talk about it]: [what went up, what went down|where we are], [and why|and what's behind it].",
        "[As {title}|In my job] I [sat down|went through] the {m} [results|numbers] [with|alongside] [the staff|{staffers}] {when} and [asked|we asked] [what they thought|what was behind them].",
        "I [don't just|won't just] [post|send out] the [numbers|results], I [go through them|talk about them] [with people|in person] at {huddle} [so|and] [we figure out|we ask] [what they mean|why].",
    ),
    "RR.results.open|formal_up": (
        "{freq} at {meso} we [look at|review] [each area's|every unit's] results on {m}, and [I take|I bring] [{unit}'s|this unit's] [back to|down to] [their|its] staff meeting [to talk it through|to go over it].",
        "[At|With] {macro} I [present|report] [results|{m}] [for my areas|for the units I cover] {freq}, and [we|they] [ask|push on] [what's behind|why] [{unit}'s|this unit's] [numbers|results].",
    ),
    "RR.results.open|informal": (
        "Nobody asked me to, but [when|whenever] the {m} [numbers|results] come in, I [get|pull] {peers} together [for ten minutes|on a break] to [look|go over them].",
        "I'm the one who [asks|always asks] at {meeting} [what happened|why] [when|if] {m} [moves|changes]. [Somebody has to.|I can't help it.]",
    ),
    "RR.results.open|staff": (
        "{ldr} [goes over|reviews] the results on {m} [with us|at {meeting}] {freq}, [and asks|asking] [us|everyone] [what we think happened|why we think it moved].",
        "{ldr} [doesn't just|won't just] [post|hand out] the [numbers|results]. [{ldr_she} sits down with us|We sit down together] and [talk about|go over] [what they mean|what's behind them].",
    ),
    "RR.results.mid": (
        "[Last time|The last round], {m} [was at|came in at] {m_after}, [and|but] [we|people] [wanted|needed] to know [why|what was behind it], [not just|and not only] [the number|that it moved].",
        "[Someone|{name}] [pointed out|noticed] [the bad months|the bad weeks] [lined up|matched] with {busy}, which [nobody|none of us] had [connected|put together] [before|until then].",
        "We go over what [worked|helped] and what didn't, [honestly|pretty frankly], without [pointing fingers|blaming anyone].",
    ),
    "RR.results.more": (
        "[Sometimes|Some months] the [results|numbers] [are bad|aren't good], and [we say so|we talk about that too].",
        "[It's|That's] [not|never] a [long|big] [meeting|discussion], [twenty minutes|half an hour], [but|and] [it matters|people come].",
    ),
    "RR.results.end": (
        "[You|We] [learn|figure out] more from [asking why|the talking] than from [the number itself|the number].",
        "[That|It] [keeps|helps keep] [everyone|the team] [honest|focused] about [where we are|how we're doing].",
        "[And|Then] [we|the group] [decide|pick] [what to try next|one thing to work on] [from that|out of it].",
    ),
    # =====================================================================================================
    # RR.debrief
    "q.RR.debrief": (
        "What happens here after something goes wrong?",
        "After a hard day or a near miss, what do people do?",
        "How does the team talk about mistakes?",
    ),
    "RR.debrief.open|formal": (
        "After {bad_day} I [get|pull] [whoever was there|the people involved] together [the same day|before they go home] [for fifteen minutes|for a few minutes] to [talk it through|go over it].",
        "[After|When we had] {event} {event_when}, I [sat down|met] with [everyone who was on|the whole team] and [we went through it|we walked through it] [step by step|minute by minute].",
        "[As {title}|In this job] I [made a rule|decided] that [after|when there's] {bad_day} [we talk about it|we debrief] [before anyone leaves|before the end of the shift], [no blame|and nobody gets blamed].",
    ),
    "RR.debrief.open|formal_up": (
        "After {event} {event_when} I [went down|came to {unit}] [myself|in person] and [sat with|met] [the staff|the team] [to go through|to walk through] [what happened|it], [and then|and] [took what we learned|carried the lessons] to {meso}.",
        "I [set up|started] a [review|debrief] [for|after] [any serious event|every serious event] in [my areas|the units I cover], [with|including] the [staff|people] who [were there|were involved], [not just managers|not only the managers].",
    ),
    "RR.debrief.open|informal": (
        "Nobody asked me to, but after {bad_day} I [get|gather] [everybody|{peers}] [in the break room|for a few minutes] [before we leave|at the end] and [we talk|we go over it].",
        "After {event} {event_when}, I [was the one who|was the one to] [said|say] we [need|needed] to [talk about it|sit down], [and|so] we [did|got together].",
    ),
    "RR.debrief.open|staff": (
        "After {bad_day}, {ldr} [pulls us together|gets us in a room] [for a few minutes|right away] and [asks|goes over] [what happened|what we'd do differently].",
        "After {event} {event_when}, {ldr} [sat down with|met with] [all of us|everyone who was on], [and|and, you know,] [{ldr_she} didn't blame anybody|nobody got blamed].",
    ),
    "RR.debrief.mid": (
        "It's never about whose fault it was. It's about what [happened|went wrong]. [And what we'd do differently.|And what we'd change.|{name} makes sure of that.]",
        "[We|The team] [found|figured out] that [part of the problem|some of it] was {handoff}, [which|and that] [nobody|no one] [had|would have] [seen|caught] [alone|on their own].",
        "[People|Some people] [cried|got upset]. [That's allowed.|That's OK.] [People need that.|We needed to talk.]",
    ),
    "RR.debrief.more": (
        "[We write down|Someone writes down] [one or two things|what we'd change] [on a sheet|{where}], [and|then] [we check|we look] [a month later|later] whether [we did|they happened].",
        "It doesn't take long, [fifteen minutes|half an hour]. [But it helps.|People need it.]",
    ),
    "RR.debrief.end": (
        "[You don't|Nobody] [carry it home|takes it home] [alone|by themselves] [that way|as much].",
        "[We changed|We've changed] [a couple of things|some things] [because of those talks|from those talks], [especially|mostly] around {handoff}.",
        "People [are more willing|got readier] to [report|speak up about] near misses [since then|after that].",
    ),
    # =====================================================================================================
    # RR.success
    "q.RR.success": (
        "What would success look like for {unit}?",
        "How do you know when the team has done a good job?",
        "What does a good day look like here?",
    ),
    "RR.success.open|formal": (
        "[I tell the staff|I say to people] [success|a good job] is [when|that] {pts} [get|have] {aim_good} [and|, and] [nobody has to|they don't have to] [chase us|call twice].",
        "[As {title}|In my job] I [try to|make a point to] [spell out|put into words] what [good|a good job] [looks like|means] for {unit}: [{m} at|getting {m} to] {m_after} [or better|and holding], [for a start|to begin with].",
        "{when} I [asked|had] [the staff|{staffers}] [to|help] [write down|put into words] what [we'd be proud of|success would look like] [by next spring|by next winter], and [we put it|it went] [up|on the wall] {where}.",
    ),
    "RR.success.open|formal_up": (
        "[At|With] {macro} [we|I] [try to|have tried to] [define|say] what [success|good] [looks like|means] [for|in] [each area|every unit], and for {unit} it's {aim_good}.",
        "I [ask|push] [each of my managers|the managers] to [name|say] [one or two|a couple of] [things|results] [that would mean|that mean] [success|they've done well] [this year|for their units], and {unit} [picked|chose] {m}.",
    ),
    "RR.success.open|informal": (
        "Nobody asked me to, but I [asked|got] {peers} [to say|to talk about] what [a good day|a good shift] [would be|looks like] [for|to] us, [and|then] [wrote it up|wrote it on a sheet].",
        "I [keep|always keep] [reminding|telling] people that [the point|success] is {aim_good}, [not|and not] [getting through the list|just getting done].",
    ),
    "RR.success.open|staff": (
        "{ldr} [says|always says] [success|a good job] is when {pts} [get|have] {aim_good}, [and|and, you know,] [we all know it|it's up on {board}].",
        "{ldr} [spelled out|put into words] what [good|success] [looks like|means] for {unit}: {aim_good}, [and|plus] [getting|{m} at] {m_after}.",
    ),
    "aim_good": (
        "what they need [when they need it|without waiting]",
        "[care|help] that [fits|makes sense for] [their lives|them]",
        "[no surprises|no bad surprises] [and|and] [someone to call|a person who knows them]",
    ),
    "aim_good@hospice": ("+", "a [peaceful|comfortable] death [at home|where they want to be]"),
    "aim_good@long_term_care": ("+", "[a good day|their own routine], [not ours|the way they like it]"),
    "aim_good@icu_nicu": ("+", "[safe care|the right care] [and|and] [family|parents] [at the bedside|who understand]"),
    "aim_good@primary_care": ("+", "[an appointment|a visit] [the day they call|when they need one]"),
    "aim_good@emergency_department": (
        "+",
        "[seen fast|seen quickly] [and|and] [treated right|sent to the right place]",
    ),
    "RR.success.mid": (
        "It isn't only [the numbers|{m}]. It's also whether {pts} [feel looked after|feel cared for].",
        "[We|{name} and I|The staff] argued about the words for [a while|a couple of meetings|{while}]. [That was the useful part.|That turned out to be half the value.]",
        "Having it written down means we can [check|tell] whether we're getting there.",
    ),
    "RR.success.more": (
        "[Some|A few] [people|of the staff] [thought|said] it was [obvious|a waste of time] [at first|to start].",
        "It's [posted|written up] [on {board}|{where}], so new people see it [too|right away].",
    ),
    "RR.success.end": (
        "If you don't say what [good|success] looks like, [how would you know|you can't tell]?",
        "[Everyone knows|The whole team can tell you] what we're [aiming for|trying to do].",
    ),
    # =====================================================================================================
    # RR.next
    "q.RR.next": (
        "When something works, what happens next?",
        "What's next for {unit}?",
        "After {project}, where does the team go from here?",
    ),
    "RR.next.open|formal": (
        "[Once|When] {project} [was working|settled in], I [sat down|got together] with [the staff|{staffers}] and [we decided|we picked] [what to do next|the next thing]: [spreading it|taking it to nights and weekends].",
        "[As {title}|In my job] [the question|my question] [after every success|when something works] is [what's next|where do we go now], [and|so] {when} we [chose|picked] [the next aim|a new target] [on|for] {m}.",
        "I [make sure|try to make sure] [we|the team] [don't just|doesn't just] [celebrate|stop] [and|and] [forget|move on], [we|but] [decide|plan] [how to|what it takes to] [hold|keep] [the gains|it going].",
    ),
    "RR.next.open|formal_up": (
        "[Once|After] {project} [worked|took hold] in {unit}, I [took it|brought it] to {meso} [so|and] [the other areas|other units] [could|would] [try|pick] it [up|next].",
        "[At|With] {macro} [we|I] [talked about|planned] [how to|what it would take to] [spread|carry] {project} [beyond {unit}|to the rest of {org}], [and|so] [{unit} is|they're] [teaching|helping] [the others|the next units].",
    ),
    "RR.next.open|informal": (
        "Nobody asked me to, but [once|when] {project} [was working|took off], I [asked|said] [at {meeting}|at {huddle}] [so|OK], what's [next|the next thing]?",
        "[I've been|I'm] [pushing|nudging] [us|{peers}] to [take|move] {project} [to|onto] [nights|weekends|the next step], [because|since] [it only works|it won't last] [if everyone does it|if it spreads].",
    ),
    "RR.next.open|staff": (
        "Once {project} [was working|got going], {ldr} [asked what we wanted to do next|had us pick the next thing], and we [chose|picked] {m}.",
        "{ldr} [is always asking|keeps asking] [what's next|where we go from here], [even when|especially after] things go well.",
    ),
    "RR.next.mid": (
        "[Next|The next aim] is [to get|getting] {m} from {m_after} [down further|to the next level|a step better], [and|and then] [keeping it there|holding it].",
        "[The plan|Our plan] now is to [teach|show] [nights and weekends|the other shifts|{nbr}] [how it works|what we did]. It can't be [one shift's thing|a day-shift thing].",
        "The hard part is [keeping it going|holding the gains]. [People move on.|Attention drifts after {while}.|{name} says it slides every {busy}.]",
    ),
    "RR.next.more": (
        "[We|I] [check|look] [on|at] it {freq} [so it doesn't slip|to make sure it holds].",
        "[A few|Some] [places|units] have [called to hear about it|asked how we did it]. [That's nice.|That's flattering.]",
    ),
    "RR.next.end": (
        "[There's|There is] [always|never not] [a next thing|something next], [that's|which is] [the point|how it should be].",
        "[You can't|We can't] [just|simply] [stop|sit back] [once|when] [it works|something works]. [It slides back.|Things slide.]",
    ),
    # =====================================================================================================
    # Leading between levels (inserted before a passage's last sentence)
    "btw.BK|formal": (
        "[I|And I] [took|carried] [what we learned|it] to {meso} [so|and] [other units|the others] [could|would] [see it|hear about it] [too|as well].",
        "[I also|I] [shared|brought] [it|what we found] [with|to] {nbr} [so|because] [they|their part] [were|was] [part of the picture|half of it].",
    ),
    "btw.BK|formal_up": (
        "[And|Then] I [reported|took] [it|what we saw] [up|straight] to {macro}, [so|because] [they|the people making decisions] [needed to see|should see|had to see] [the unit's side|what it's like down here].",
    ),
    "btw.BK|informal": (
        "[Then|And then] I [brought|took] [it|what we found] to {meso} [myself|on my own], [which|and that] [got|got a few] [people|managers] [talking|interested].",
        "I [called|went down to] {nbr} [myself|on my own] [to|and] [ask|asked] [how it looked|what they saw] [from their end|on their side].",
    ),
    "btw.BK|staff": (
        "{ldr} [took|carried] [it|what we found] to {meso} [so|and] [the other units|other areas] [heard about it|could learn from it].",
        "{ldr} [went over|went down] to {nbr} [too|as well] [to|and] [ask|asked] [how it looks|what they see] [from their side|on their end].",
    ),
    "btw.TA|formal": (
        "I [had to|needed to] [get|bring] {nbr} [on board|into it], [so|and] I [went|walked over] [myself|in person] [and|to] [work it out|sort it out] [with their manager|with their people].",
        "I [took|brought] [it|the proposal] to {meso} [so|because] [it needed|we needed] [sign-off|support] [from above|beyond {unit}].",
    ),
    "btw.TA|formal_up": (
        "[At|In] {macro} I [made the case|argued] [that|for] [this|what {unit} was doing], [so|and] [it became|it's now] [part of|in] [the plan for {org}|{org}'s plan].",
    ),
    "btw.TA|informal": (
        "I [went|walked] [over|down] to {nbr} [myself|on my own] [and|to] [work it out|sort it out] [with them|with the people there], [since|because] [they|their part] [were|was] [half of it|in the middle of it].",
        "[Then|And] I [brought|took] it to {meso}, [which|and] [got it|helped it] [spread|going] [beyond|past] {unit}.",
    ),
    "btw.TA|staff": (
        "{ldr} [went to|worked it out with] {nbr} [so|because] [it had to|it needed to] [work on their end too|fit with them too].",
        "{ldr} [took|carried] it [to|up to] {meso} [so|and] [we got|it got] [backing|support] [from above|beyond our unit].",
    ),
    "btw.RR|formal": (
        "[I|And I] [brought|took] [what we learned|the lessons] to {meso}, [so|because] [other units|the others] [had|have] [the same|similar] [problem|trouble].",
    ),
    "btw.RR|formal_up": (
        "I [took|carried] [it|the lessons] [up|straight] to {macro}, [and|so] [it|the review] [changed|fed into] [a policy|how {org} does it] [for everyone|across the board].",
    ),
    "btw.RR|informal": (
        "[Then|And] I [wrote it up|brought it] to {meso}, [because|since] [it wasn't|it isn't] [just|only] [our|{unit}'s] [problem|issue].",
    ),
    "btw.RR|staff": (
        "{ldr} [took|brought] [it|what we learned] to {meso} [and|so] [other units|the rest of {org}] [heard|could learn] [about it|from it].",
        "{ldr} [got|brought] {nbr} [in|into it] [too|as well], [since|because] [part of it|some of it] [was on their side|happened on their end].",
    ),
}
