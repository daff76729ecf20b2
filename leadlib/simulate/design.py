"""The published design the synthetic study is built on, and our assumptions.

Facts taken from the *Microsystems in Health Care* series (Jt Comm J Qual
Saf, 2002-2003) are marked PUBLISHED; everything else is an assumption of the
generative model, marked ASSUMED, and documented in ``data/README.md``.
"""

from __future__ import annotations

from .. import schema

__all__ = [
    "CODEBOOK",
    "PROCESS_CODES",
    "SC_CODES",
    "BETWEEN_LEVELS",
    "SC_TARGET_SHARES",
    "SETTING_MIX",
    "SETTING_NAMES",
]

# (code_id, label, group, parent, definition)
CODEBOOK: list[tuple[str, str, str, str | None, str]] = [
    (
        "LP",
        "Leadership processes",
        "other",
        None,
        "Parent of the three core processes of leading (Part 5). Not applied directly.",
    ),
    (
        "BK",
        "Building knowledge",
        "building_knowledge",
        "LP",
        "Leaders learning the structure, processes and patterns of the unit's work. Apply a sub-code.",
    ),
    (
        "BK.patients",
        "Knowing the patients",
        "building_knowledge",
        "BK",
        "A leader learns who the unit's patients are, what they need and how they experience care.",
    ),
    (
        "BK.staff",
        "Knowing the staff",
        "building_knowledge",
        "BK",
        "A leader learns about the people of the unit: their skills, workload, morale, ideas.",
    ),
    (
        "BK.processes",
        "Studying processes",
        "building_knowledge",
        "BK",
        "A leader examines how the work is actually done: flows, hand-offs, bottlenecks.",
    ),
    (
        "BK.measures",
        "Watching measures",
        "building_knowledge",
        "BK",
        "A leader follows data on the unit's performance: measures, run charts, reports.",
    ),
    (
        "BK.outside",
        "Learning from outside",
        "building_knowledge",
        "BK",
        "A leader brings in knowledge from elsewhere: other units, visits, literature, networks.",
    ),
    (
        "TA",
        "Taking action",
        "taking_action",
        "LP",
        "Leaders making things happen, executing plans, making good on intentions. Apply a sub-code.",
    ),
    (
        "TA.hiring",
        "Hiring and orienting",
        "taking_action",
        "TA",
        "How people are chosen for the unit and brought into its ways of working.",
    ),
    (
        "TA.developing",
        "Developing staff",
        "taking_action",
        "TA",
        "Training, coaching, cross-training, growing people's roles.",
    ),
    (
        "TA.redesign",
        "Redesigning the work",
        "taking_action",
        "TA",
        "Testing and putting in place changes to how the work is done.",
    ),
    (
        "TA.resources",
        "Securing resources",
        "taking_action",
        "TA",
        "Obtaining money, staff, space, equipment or support from the larger organisation.",
    ),
    (
        "TA.communicating",
        "Communicating and aligning",
        "taking_action",
        "TA",
        "Keeping people informed and pulling in one direction: huddles, meetings, messages.",
    ),
    (
        "RR",
        "Reviewing and reflecting",
        "reviewing_reflecting",
        "LP",
        "Leaders considering how patterns, processes and structure enable the work. Apply a sub-code.",
    ),
    (
        "RR.results",
        "Reviewing results",
        "reviewing_reflecting",
        "RR",
        "Looking back at results together and asking what they mean.",
    ),
    (
        "RR.debrief",
        "Debriefing events",
        "reviewing_reflecting",
        "RR",
        "Reflecting after an incident, a near miss, a hard day or a change that went wrong.",
    ),
    (
        "RR.success",
        "Defining success",
        "reviewing_reflecting",
        "RR",
        "Stating what success looks like for the unit and its patients.",
    ),
    (
        "RR.next",
        "Planning what comes next",
        "reviewing_reflecting",
        "RR",
        "Deciding what comes after a success: the next aim, spreading, sustaining.",
    ),
    (
        "LV",
        "Levels of leading",
        "other",
        None,
        "Parent of the codes about where leading happens (Part 5: at and between levels). Not applied directly.",
    ),
    (
        "LV.between",
        "Leading between levels",
        "other",
        "LV",
        "Leading that links the microsystem with the levels above or around it: carrying the unit's case to the "
        "organisation, bringing an organisational aim into the unit, working across units. Applied with the process "
        "sub-code of the same passage.",
    ),
    (
        "SC",
        "Success characteristics",
        "other",
        None,
        "Parent of the nine success characteristics of high-performing microsystems (Part 1). Not applied directly.",
    ),
    (
        "SC.leadership",
        "Leadership",
        "success_characteristic",
        "SC",
        "Leaders' roles in balancing setting and reaching collective goals, and empowering individual autonomy.",
    ),
    (
        "SC.culture",
        "Culture",
        "success_characteristic",
        "SC",
        "A culture that values collegiality, respect, trust and continuous learning.",
    ),
    (
        "SC.organizational_support",
        "Organizational support",
        "success_characteristic",
        "SC",
        "The larger organisation looks for ways to support the microsystem's work.",
    ),
    (
        "SC.patient_focus",
        "Patient focus",
        "success_characteristic",
        "SC",
        "The primary concern is to meet patients' needs.",
    ),
    (
        "SC.staff_focus",
        "Staff focus",
        "success_characteristic",
        "SC",
        "Selective hiring, orientation, education and training, and high expectations of staff.",
    ),
    (
        "SC.interdependence",
        "Interdependence of the care team",
        "success_characteristic",
        "SC",
        "A multidisciplinary team working together, with mutual respect and shared responsibility.",
    ),
    (
        "SC.information_technology",
        "Information and information technology",
        "success_characteristic",
        "SC",
        "Information as the connector: technology and routines that make it flow to those who need it.",
    ),
    (
        "SC.process_improvement",
        "Process improvement",
        "success_characteristic",
        "SC",
        "An atmosphere for learning and redesign: monitoring care, benchmarking, testing change.",
    ),
    (
        "SC.performance_patterns",
        "Performance patterns",
        "success_characteristic",
        "SC",
        "Performance focuses on patient outcomes, avoidable costs, streamlining delivery, feedback.",
    ),
]

PROCESS_CODES = [c[0] for c in CODEBOOK if c[3] in ("BK", "TA", "RR")]
SC_CODES = [c[0] for c in CODEBOOK if c[3] == "SC"]
BETWEEN_LEVELS = schema.BETWEEN_LEVELS

# Share of all coded text units per success characteristic.
# PUBLISHED (Part 1 / Quality by Design): process improvement 13.5%,
# staff focus 9.4%, leadership 7.7%, organisational support 3.2%.
# ASSUMED: the other five share the remaining 66.2%.
SC_TARGET_SHARES = {
    "SC.process_improvement": 0.135,
    "SC.staff_focus": 0.094,
    "SC.leadership": 0.077,
    "SC.organizational_support": 0.032,
    "SC.patient_focus": 0.170,
    "SC.interdependence": 0.130,
    "SC.performance_patterns": 0.130,
    "SC.culture": 0.120,
    "SC.information_technology": 0.112,
}
PUBLISHED_SHARES = ("SC.process_improvement", "SC.staff_focus", "SC.leadership", "SC.organizational_support")

# ASSUMED: mix of settings, as in a purposive sample of high-performing
# microsystems across the continuum of care (Part 1 lists primary care,
# specialty, inpatient, ICU/NICU, emergency, home health, hospice, nursing
# home and mental-health units among the 20).
SETTING_MIX = {
    "primary_care": 0.20,
    "specialty_clinic": 0.15,
    "inpatient_unit": 0.15,
    "icu_nicu": 0.10,
    "emergency_department": 0.05,
    "home_health": 0.10,
    "hospice": 0.05,
    "long_term_care": 0.10,
    "behavioral_health": 0.10,
}

#: What a unit of each setting is called in an interview, what its patients
#: are called, and measures its staff would watch.
SETTING_NAMES = {
    "primary_care": {
        "unit": ["the practice", "our clinic", "the office"],
        "patients": ["our patients", "the patients", "patients and their families"],
        "measure": ["diabetes control", "same-day access", "no-show rate", "immunisation rates"],
        "kind": ["Family Practice", "Internal Medicine", "Primary Care", "Family Medicine Center"],
    },
    "specialty_clinic": {
        "unit": ["the clinic", "our clinic", "the center"],
        "patients": ["our patients", "the patients", "referred patients"],
        "measure": ["wait time for a new appointment", "time to diagnosis", "referral turnaround"],
        "kind": ["Spine Center", "Cardiology Clinic", "Breast Care Center", "Dialysis Unit", "Cystic Fibrosis Clinic"],
    },
    "inpatient_unit": {
        "unit": ["the floor", "our unit", "the unit"],
        "patients": ["our patients", "the patients", "patients and families"],
        "measure": ["falls", "pressure ulcers", "length of stay", "discharge before noon"],
        "kind": ["Medical Unit", "Surgical Unit", "Cardiac Step-Down", "Orthopedic Unit"],
    },
    "icu_nicu": {
        "unit": ["the unit", "the ICU", "our unit"],
        "patients": ["the babies and their families", "our patients", "critically ill patients"],
        "measure": ["line infections", "ventilator days", "unplanned extubations"],
        "kind": ["Neonatal Intensive Care", "Medical ICU", "Surgical ICU", "Pediatric ICU"],
    },
    "emergency_department": {
        "unit": ["the department", "the ED", "our department"],
        "patients": ["our patients", "the patients", "people coming through the door"],
        "measure": ["door-to-doctor time", "left-without-being-seen rate", "time to antibiotics"],
        "kind": ["Emergency Department", "Pediatric Emergency"],
    },
    "home_health": {
        "unit": ["the agency", "our team", "the office"],
        "patients": ["our patients", "clients at home", "the families"],
        "measure": ["rehospitalisation rate", "visits per day", "wound healing"],
        "kind": ["Home Health Team", "Visiting Nurse Service"],
    },
    "hospice": {
        "unit": ["the program", "our team", "the hospice"],
        "patients": ["patients and families", "the families", "our patients"],
        "measure": ["pain scores", "family satisfaction", "days on service"],
        "kind": ["Hospice Program", "Palliative Care Team"],
    },
    "long_term_care": {
        "unit": ["the home", "the unit", "our house"],
        "patients": ["the residents", "our residents", "residents and their families"],
        "measure": ["falls", "restraint use", "pressure ulcers"],
        "kind": ["Nursing Home", "Transitional Care Unit", "Extended Care"],
    },
    "behavioral_health": {
        "unit": ["the program", "our clinic", "the unit"],
        "patients": ["our clients", "the clients", "patients and families"],
        "measure": ["readmissions", "time to first appointment", "treatment completion"],
        "kind": ["Behavioral Health Clinic", "Adolescent Mental Health", "Addiction Treatment Program"],
    },
}
