"""Demo content for the SOP library: bilingual (English / Simplified Chinese) SOPs.

Plain data only. Each entry describes the current version of one SOP; entries with a
"versions" list also carry the previous version (its steps and a change summary).
"""

from __future__ import annotations

DEMO_SOPS: list[dict] = [
    {
        "number": "HK-001",
        "department": "HK",
        "current_version": "2.0",
        "change_summary_en": (
            "Added a step to air the room by opening the window for about 5 minutes. The bin step "
            "now says to take out cigarette ends first and make sure they are fully out."
        ),
        "change_summary_zh": (
            "新增开窗通风约5分钟的步骤；清倒垃圾步骤增加“先取出烟头并确认完全熄灭”的要求。"
        ),
        "title_en": "Guest-room cleaning",
        "title_zh": "客房清洁",
        "purpose_en": (
            "To clean and prepare occupied and departure rooms to one consistent standard, so that "
            "every guest finds a clean, safe and comfortable room."
        ),
        "purpose_zh": (
            "规范住客房和走客房的清扫流程，统一清洁标准，确保每位客人入住的房间干净、安全、舒适。"
        ),
        "scope_en": (
            "Applies to all room attendants and floor supervisors of the Housekeeping department "
            "when they clean guest rooms."
        ),
        "scope_zh": "适用于客房部全体客房服务员及楼层领班清扫客房时执行。",
        "responsibilities_en": (
            "Room attendant: cleans the assigned rooms following these steps and reports defects "
            "and items left behind.\n"
            "Floor supervisor: inspects cleaned rooms, updates the room status and follows up "
            "reported defects.\n"
            "Executive housekeeper: keeps this SOP up to date and trains staff on it."
        ),
        "responsibilities_zh": (
            "客房服务员：按本流程清扫所分配的房间，报告设备故障及客人遗留物品。\n"
            "楼层领班：检查已清扫的房间，更新房态，跟进报修事项。\n"
            "行政管家：负责本SOP的更新及员工培训。"
        ),
        "steps": [
            {
                "text_en": (
                    "Arrive on your floor 5 to 10 minutes before the shift starts, with your "
                    "trolley stocked and your cleaning tools and supplies ready."
                ),
                "text_zh": "提前5至10分钟到达所负责楼层，备好布草车、清洁工具及客用品。",
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
            {
                "text_en": (
                    "Knock on the door three times, three knocks each time, and announce "
                    '"Housekeeping" clearly. Wait for an answer before you go in.'
                ),
                "text_zh": (
                    "敲门三次，每次敲三下，同时清楚地通报“客房服务”（Housekeeping），"
                    "等候客人应答后再进房。"
                ),
                "note_en": (
                    "If the guest answers, ask when it would be convenient to clean. If there is "
                    "no answer after the third knock, open the door slightly and announce yourself "
                    "again before entering. Never knock on a room showing a Do Not Disturb sign."
                ),
                "note_zh": (
                    "如客人应答，询问客人何时方便清扫；第三次敲门后仍无应答，先将房门推开少许，"
                    "再次通报后方可进入。挂有“请勿打扰”牌的房间不得敲门。"
                ),
                "kind": "step",
                "key_point": True,
            },
            {
                "text_en": (
                    'Hang the "Cleaning in progress" sign on the door, switch on all the lights '
                    "and check that every lamp works."
                ),
                "text_zh": "在门把手上挂“正在清扫”牌，打开房内所有灯具，检查是否正常。",
                "note_en": "Keep the room door open while you are cleaning.",
                "note_zh": "清扫期间房门须保持敞开。",
                "kind": "step",
                "key_point": False,
            },
            {
                "text_en": (
                    "Lay the small mat at the bathroom door and put your cleaning caddy on the "
                    "bathroom vanity."
                ),
                "text_zh": "在卫生间门口铺放小地垫，将清洁工具篮放在洗手台上。",
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
            {
                "text_en": "Open the curtains fully to let daylight into the room.",
                "text_zh": "拉开窗帘，让自然光进入房间。",
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
            {
                "text_en": "Open the window for about 5 minutes to air the room.",
                "text_zh": "打开窗户通风约5分钟。",
                "note_en": (
                    "Open the window only as far as the safety restrictor allows, and close it "
                    "before you leave the room."
                ),
                "note_zh": "窗户只能开到限位器允许的位置，离开房间前必须关好。",
                "kind": "warning",
                "key_point": False,
            },
            {
                "text_en": (
                    "Remove the used items from the bathroom, replace the four towels (face towel, "
                    "hand towel, bath towel and bath mat) and clean the three fixtures: basin, "
                    "bathtub and toilet."
                ),
                "text_zh": (
                    "撤出卫生间内客人用过的物品，更换四巾（方巾、面巾、浴巾、地巾），"
                    "清洁三缸（面盆、浴缸、马桶）。"
                ),
                "note_en": (
                    "Use a separate, colour-coded cloth for the toilet and never use it on the "
                    "basin or the bathtub."
                ),
                "note_zh": "清洁马桶须使用专用的颜色标识抹布，严禁用于面盆或浴缸。",
                "kind": "warning",
                "key_point": True,
            },
            {
                "text_en": (
                    "Check the wardrobe and every drawer for items the guest has left behind. Take "
                    "any item you find to the housekeeping desk and record it in your daily report."
                ),
                "text_zh": (
                    "检查衣柜及所有抽屉内有无客人遗留物品，如有，交到客房服务中心，"
                    "并记入当日工作报表。"
                ),
                "note_en": "Follow SOP HK-005 Lost and found.",
                "note_zh": "按HK-005《失物招领》流程处理。",
                "kind": "step",
                "key_point": True,
            },
            {
                "text_en": (
                    "Empty the waste bins and ashtrays, taking out the cigarette ends first."
                ),
                "text_zh": "清倒垃圾桶和烟灰缸，先将烟头单独取出。",
                "note_en": (
                    "Make sure cigarette ends are fully out before they go into the rubbish bag, "
                    "to avoid a fire."
                ),
                "note_zh": "烟头须确认完全熄灭后才能倒入垃圾袋，以防引起火灾。",
                "kind": "warning",
                "key_point": False,
            },
            {
                "text_en": (
                    "Remove used cups and glasses, any extra beds and any room-service dishes."
                ),
                "text_zh": "撤走用过的杯具、加床及送餐餐具。",
                "note_en": (
                    "Replace used cups with disinfected cups from your trolley. Never wash cups in "
                    "the guest bathroom."
                ),
                "note_zh": (
                    "用过的杯具须送回工作间统一清洗消毒，换上布草车上已消毒的杯具，"
                    "严禁在客房卫生间内清洗杯具。"
                ),
                "kind": "warning",
                "key_point": False,
            },
            {
                "text_en": "Make the bed with fresh linen to the hotel standard.",
                "text_zh": "按酒店标准铺床，更换干净布草。",
                "note_en": (
                    "In stay-over rooms, change the linen according to the hotel's linen-change "
                    "policy or the guest's choice."
                ),
                "note_zh": "住客房按酒店布草更换规定或客人意愿更换床上布草。",
                "kind": "step",
                "key_point": False,
            },
            {
                "text_en": (
                    "Check all the equipment in the room (lights, TV, air conditioning, telephone, "
                    "minibar, taps) and report anything broken to the floor supervisor."
                ),
                "text_zh": (
                    "检查房内所有设施设备（灯具、电视、空调、电话、小酒吧、水龙头），"
                    "发现损坏及时报告楼层领班。"
                ),
                "note_en": (
                    "Log the fault in the maintenance system so that Engineering can repair it."
                ),
                "note_zh": "同时在维修系统中登记报修，由工程部处理。",
                "kind": "step",
                "key_point": True,
            },
            {
                "text_en": (
                    "Take a last look around the room, leave and close the door gently, then check "
                    "that it is locked."
                ),
                "text_zh": "最后环视房间一遍，退出房间，轻轻关上房门并确认已锁好。",
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
        ],
        "versions": [
            {
                "version": "1.0",
                "change_summary_en": (
                    "Added a step to air the room by opening the window for about 5 minutes. The "
                    "bin step now says to take out cigarette ends first and make sure they are "
                    "fully out."
                ),
                "change_summary_zh": (
                    "新增开窗通风约5分钟的步骤；清倒垃圾步骤增加“先取出烟头并确认完全熄灭”的要求。"
                ),
                "steps": [
                    {
                        "text_en": (
                            "Arrive on your floor 5 to 10 minutes before the shift starts, with "
                            "your trolley stocked and your cleaning tools and supplies ready."
                        ),
                        "text_zh": "提前5至10分钟到达所负责楼层，备好布草车、清洁工具及客用品。",
                        "note_en": "",
                        "note_zh": "",
                        "kind": "step",
                        "key_point": False,
                    },
                    {
                        "text_en": (
                            "Knock on the door three times, three knocks each time, and announce "
                            '"Housekeeping" clearly. Wait for an answer before you go in.'
                        ),
                        "text_zh": (
                            "敲门三次，每次敲三下，同时清楚地通报“客房服务”（Housekeeping），"
                            "等候客人应答后再进房。"
                        ),
                        "note_en": (
                            "If the guest answers, ask when it would be convenient to clean. If "
                            "there is no answer after the third knock, open the door slightly and "
                            "announce yourself again before entering. Never knock on a room "
                            "showing a Do Not Disturb sign."
                        ),
                        "note_zh": (
                            "如客人应答，询问客人何时方便清扫；第三次敲门后仍无应答，"
                            "先将房门推开少许，再次通报后方可进入。挂有“请勿打扰”牌的房间不得敲门。"
                        ),
                        "kind": "step",
                        "key_point": True,
                    },
                    {
                        "text_en": (
                            'Hang the "Cleaning in progress" sign on the door, switch on all the '
                            "lights and check that every lamp works."
                        ),
                        "text_zh": "在门把手上挂“正在清扫”牌，打开房内所有灯具，检查是否正常。",
                        "note_en": "Keep the room door open while you are cleaning.",
                        "note_zh": "清扫期间房门须保持敞开。",
                        "kind": "step",
                        "key_point": False,
                    },
                    {
                        "text_en": (
                            "Lay the small mat at the bathroom door and put your cleaning caddy on "
                            "the bathroom vanity."
                        ),
                        "text_zh": "在卫生间门口铺放小地垫，将清洁工具篮放在洗手台上。",
                        "note_en": "",
                        "note_zh": "",
                        "kind": "step",
                        "key_point": False,
                    },
                    {
                        "text_en": "Open the curtains fully to let daylight into the room.",
                        "text_zh": "拉开窗帘，让自然光进入房间。",
                        "note_en": "",
                        "note_zh": "",
                        "kind": "step",
                        "key_point": False,
                    },
                    {
                        "text_en": (
                            "Remove the used items from the bathroom, replace the four towels "
                            "(face towel, hand towel, bath towel and bath mat) and clean the three "
                            "fixtures: basin, bathtub and toilet."
                        ),
                        "text_zh": (
                            "撤出卫生间内客人用过的物品，更换四巾（方巾、面巾、浴巾、地巾），"
                            "清洁三缸（面盆、浴缸、马桶）。"
                        ),
                        "note_en": (
                            "Use a separate, colour-coded cloth for the toilet and never use it on "
                            "the basin or the bathtub."
                        ),
                        "note_zh": "清洁马桶须使用专用的颜色标识抹布，严禁用于面盆或浴缸。",
                        "kind": "warning",
                        "key_point": True,
                    },
                    {
                        "text_en": (
                            "Check the wardrobe and every drawer for items the guest has left "
                            "behind. Take any item you find to the housekeeping desk and record it "
                            "in your daily report."
                        ),
                        "text_zh": (
                            "检查衣柜及所有抽屉内有无客人遗留物品，如有，交到客房服务中心，"
                            "并记入当日工作报表。"
                        ),
                        "note_en": "Follow SOP HK-005 Lost and found.",
                        "note_zh": "按HK-005《失物招领》流程处理。",
                        "kind": "step",
                        "key_point": True,
                    },
                    {
                        "text_en": "Empty the waste bins and ashtrays.",
                        "text_zh": "清倒垃圾桶和烟灰缸。",
                        "note_en": "",
                        "note_zh": "",
                        "kind": "step",
                        "key_point": False,
                    },
                    {
                        "text_en": (
                            "Remove used cups and glasses, any extra beds and any room-service "
                            "dishes."
                        ),
                        "text_zh": "撤走用过的杯具、加床及送餐餐具。",
                        "note_en": (
                            "Replace used cups with disinfected cups from your trolley. Never wash "
                            "cups in the guest bathroom."
                        ),
                        "note_zh": (
                            "用过的杯具须送回工作间统一清洗消毒，换上布草车上已消毒的杯具，"
                            "严禁在客房卫生间内清洗杯具。"
                        ),
                        "kind": "warning",
                        "key_point": False,
                    },
                    {
                        "text_en": "Make the bed with fresh linen to the hotel standard.",
                        "text_zh": "按酒店标准铺床，更换干净布草。",
                        "note_en": (
                            "In stay-over rooms, change the linen according to the hotel's "
                            "linen-change policy or the guest's choice."
                        ),
                        "note_zh": "住客房按酒店布草更换规定或客人意愿更换床上布草。",
                        "kind": "step",
                        "key_point": False,
                    },
                    {
                        "text_en": (
                            "Check all the equipment in the room (lights, TV, air conditioning, "
                            "telephone, minibar, taps) and report anything broken to the floor "
                            "supervisor."
                        ),
                        "text_zh": (
                            "检查房内所有设施设备（灯具、电视、空调、电话、小酒吧、水龙头），"
                            "发现损坏及时报告楼层领班。"
                        ),
                        "note_en": (
                            "Log the fault in the maintenance system so that Engineering can "
                            "repair it."
                        ),
                        "note_zh": "同时在维修系统中登记报修，由工程部处理。",
                        "kind": "step",
                        "key_point": True,
                    },
                    {
                        "text_en": (
                            "Take a last look around the room, leave and close the door gently, "
                            "then check that it is locked."
                        ),
                        "text_zh": "最后环视房间一遍，退出房间，轻轻关上房门并确认已锁好。",
                        "note_en": "",
                        "note_zh": "",
                        "kind": "step",
                        "key_point": False,
                    },
                ],
            },
        ],
    },
    {
        "number": "HK-002",
        "department": "HK",
        "current_version": "1.0",
        "change_summary_en": "First issue.",
        "change_summary_zh": "首次发布。",
        "title_en": "Room supplies top-up",
        "title_zh": "客房用品补充",
        "purpose_en": (
            "To make sure every room holds its full standard kit (par) of guest supplies, and to "
            "track consumption so that stock can be ordered in time."
        ),
        "purpose_zh": (
            "确保每间客房的客用品按标准配备量（par）配齐，并记录消耗情况，以便及时申领补货。"
        ),
        "scope_en": (
            "Applies to room attendants, floor supervisors and the housekeeping storekeeper, for "
            "all guest rooms."
        ),
        "scope_zh": "适用于客房服务员、楼层领班及客房部库管员，涵盖全部客房。",
        "responsibilities_en": (
            "Room attendant: checks and tops up the supplies in each room and records what was "
            "used.\n"
            "Floor supervisor: checks trolley and floor pantry stock and approves requisitions.\n"
            "Storekeeper: issues supplies and reports monthly consumption to the executive "
            "housekeeper."
        ),
        "responsibilities_zh": (
            "客房服务员：检查并补充每间房的客用品，登记消耗数量。\n"
            "楼层领班：检查布草车及楼层工作间的存量，审批领用单。\n"
            "库管员：发放物品，每月向行政管家报告消耗情况。"
        ),
        "steps": [
            {
                "text_en": (
                    "Before the shift, check the par sheet for each room type on your floor "
                    "(standard, deluxe, suite). It lists how many of each item the room must hold."
                ),
                "text_zh": (
                    "班前查阅所负责楼层各房型（标准间、豪华间、套房）的配备标准表（par表），"
                    "表中列明每间房每种物品的标准数量。"
                ),
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
            {
                "text_en": (
                    "Stock your trolley to the trolley par: the four towels, toiletries, clean "
                    "disinfected cups, slippers and stationery."
                ),
                "text_zh": "按布草车配备标准装车：四巾、洗漱用品、已消毒的杯具、拖鞋及文具用品。",
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
            {
                "text_en": (
                    "In each room, count the items against the par for that room type: the four "
                    "towels (face towel, hand towel, bath towel, bath mat), toiletries, cups, "
                    "slippers and stationery."
                ),
                "text_zh": (
                    "在每间房内，对照该房型的配备标准逐项清点：四巾（方巾、面巾、浴巾、地巾）、"
                    "洗漱用品、杯具、拖鞋及文具用品。"
                ),
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
            {
                "text_en": "Note how much of each item the guest has used.",
                "text_zh": "记录客人对各项物品的消耗数量。",
                "note_en": (
                    "Partly used items, such as a half-used soap, are always replaced in departure "
                    "rooms. In stay-over rooms leave them unless they are nearly finished."
                ),
                "note_zh": (
                    "部分使用过的物品（如用过一半的香皂）：走客房一律更换；住客房除非即将用完，"
                    "否则保留。"
                ),
                "kind": "step",
                "key_point": False,
            },
            {
                "text_en": (
                    "Top up every item to the par level. Do not leave more items in the room than "
                    "the par."
                ),
                "text_zh": "将各项物品补足至标准数量，不得超出标准额外摆放。",
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": True,
            },
            {
                "text_en": (
                    "Place each item in its standard position, so that every room of the same type "
                    "looks the same."
                ),
                "text_zh": "按标准位置摆放物品，确保同一房型的摆放统一。",
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
            {
                "text_en": (
                    "Check that every item is clean, undamaged and within its expiry date. Remove "
                    "anything stained, torn or out of date."
                ),
                "text_zh": (
                    "检查物品是否清洁、完好、在保质期内，发现污损、破损或过期的物品立即撤换。"
                ),
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": True,
            },
            {
                "text_en": "Record the items used in each room on your daily report.",
                "text_zh": "在客房服务员工作日报表上登记每间房的物品消耗。",
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": True,
            },
            {
                "text_en": (
                    "Deliver extra items the guest asks for (pillows, towels, toiletries) promptly "
                    "and record them in the guest request log."
                ),
                "text_zh": (
                    "客人另行索取的物品（如加枕头、毛巾、洗漱用品）应及时送达，"
                    "并登记在宾客需求记录表中。"
                ),
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
            {
                "text_en": (
                    "At the end of the shift, restock the trolley and the floor pantry from the "
                    "store with a requisition form signed by the floor supervisor."
                ),
                "text_zh": (
                    "下班前凭楼层领班签字的领用单从仓库领取物品，补足布草车及楼层工作间的存量。"
                ),
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
            {
                "text_en": (
                    "Each month the storekeeper compares consumption with occupancy and reports "
                    "any unusual usage to the executive housekeeper."
                ),
                "text_zh": "库管员每月将客用品消耗与出租率进行对比，发现异常消耗及时报告行政管家。",
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
        ],
    },
    {
        "number": "FO-003",
        "department": "FO",
        "current_version": "1.1",
        "change_summary_en": (
            "The time limit for first contact with the guest was cut from 2 hours to 1 hour."
        ),
        "change_summary_zh": "首次联系客人的时限由2小时缩短为1小时。",
        "title_en": "Complaint handling",
        "title_zh": "宾客投诉处理",
        "purpose_en": (
            "To handle every guest complaint quickly, fairly and in the same way, to win back the "
            "guest's trust, and to use complaints to find and remove the root causes of problems."
        ),
        "purpose_zh": (
            "快速、公正、统一地处理每一宗宾客投诉，重新赢得客人的信任，"
            "并通过投诉分析找出并消除问题的根本原因。"
        ),
        "scope_en": (
            "Applies to every employee who receives a complaint in person, by phone, by email, on "
            "social media or through an online travel site, and to the Front Office team that "
            "coordinates complaint handling."
        ),
        "scope_zh": (
            "适用于通过当面、电话、电子邮件、社交媒体或在线旅游平台接到投诉的全体员工，"
            "以及负责协调投诉处理的前厅部团队。"
        ),
        "responsibilities_en": (
            "Any employee: receives and logs the complaint.\n"
            "Duty manager: assesses severity, assigns the case and approves compensation.\n"
            "Assigned department head: investigates and fixes the problem.\n"
            "Front office manager: follows up with the guest and runs the monthly complaint "
            "analysis."
        ),
        "responsibilities_zh": (
            "全体员工：受理并登记投诉。\n"
            "值班经理：评估严重程度，指派处理人，审批补偿。\n"
            "被指派的部门负责人：调查并解决问题。\n"
            "前厅部经理：回访客人，并组织每月投诉分析。"
        ),
        "steps": [
            {
                "text_en": (
                    "Listen to the guest calmly without interrupting, apologise for the "
                    "inconvenience and thank them for telling you."
                ),
                "text_zh": "耐心倾听，不打断客人，对给客人带来的不便表示歉意，并感谢客人提出意见。",
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
            {
                "text_en": (
                    "Log every complaint in the complaint log, however small: date and time, guest "
                    "name and room number, channel (in person, phone, email, social media, online "
                    "travel site) and a short description."
                ),
                "text_zh": (
                    "无论大小，每一宗投诉都必须登记在投诉记录表中：日期和时间、客人姓名及房号、"
                    "投诉渠道（当面、电话、电子邮件、社交媒体、在线旅游平台）及简要描述。"
                ),
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": True,
            },
            {
                "text_en": (
                    "Classify the complaint by category: product, service, price, information or "
                    "other."
                ),
                "text_zh": "按类别对投诉进行分类：产品、服务、价格、信息或其他。",
                "note_en": (
                    "Product: room, food or facilities. Service: staff behaviour or speed. Price: "
                    "rates, bills and charges. Information: wrong or missing information."
                ),
                "note_zh": (
                    "产品：客房、餐饮或设施；服务：员工态度或效率；价格：房价、账单及收费；信息："
                    "信息错误或缺失。"
                ),
                "kind": "step",
                "key_point": False,
            },
            {
                "text_en": (
                    "Assess the severity (low, medium or high) and set the priority. Complaints "
                    "about safety, health or discrimination are always high priority and go "
                    "straight to the duty manager."
                ),
                "text_zh": (
                    "评估严重程度（低、中、高）并确定处理优先级。涉及安全、"
                    "健康或歧视的投诉一律列为高优先级，并立即上报值班经理。"
                ),
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
            {
                "text_en": (
                    "Assign the complaint to an owner in the department concerned and write their "
                    "name in the log."
                ),
                "text_zh": "将投诉指派给相关部门的负责人，并在记录表中登记其姓名。",
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
            {
                "text_en": (
                    "Contact the guest within 1 hour of receiving the complaint to confirm that it "
                    "has been taken up and to tell them who is handling it."
                ),
                "text_zh": "接到投诉后1小时内联系客人，确认投诉已受理，并告知客人由谁负责处理。",
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": True,
            },
            {
                "text_en": (
                    "Investigate: check the facts with the staff involved and the records and, "
                    "where needed, review CCTV footage."
                ),
                "text_zh": "开展调查：向当事员工了解情况，核查相关记录，必要时调阅监控录像。",
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
            {
                "text_en": (
                    "Fix the problem and agree the remedy with the guest. Solve simple complaints "
                    "within 24 hours and complex ones within 3 to 5 working days."
                ),
                "text_zh": (
                    "解决问题，并与客人商定补救办法。简单投诉须在24小时内解决，"
                    "复杂投诉须在3至5个工作日内解决。"
                ),
                "note_en": (
                    "Compensation such as a room upgrade, a discount or a refund must be approved "
                    "by the duty manager."
                ),
                "note_zh": "升级房型、折扣、退款等补偿须经值班经理批准。",
                "kind": "step",
                "key_point": True,
            },
            {
                "text_en": (
                    "Answer the guest through the channel they used, explaining what was found and "
                    "what has been done."
                ),
                "text_zh": "通过客人投诉时使用的渠道答复客人，说明调查结果及已采取的措施。",
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
            {
                "text_en": (
                    "Follow up with the guest after the fix (before departure or within 7 days) to "
                    "confirm they are satisfied, then close the case in the log."
                ),
                "text_zh": "问题解决后回访客人（离店前或7天内），确认客人满意后，在记录表中结案。",
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
            {
                "text_en": (
                    "Every month, analyse the complaint log by category and department to find "
                    "root causes and repeat problems, and agree preventive actions with the "
                    "department heads."
                ),
                "text_zh": (
                    "每月按类别和部门分析投诉记录，找出根本原因及重复发生的问题，"
                    "并与各部门负责人商定预防措施。"
                ),
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
        ],
        "versions": [
            {
                "version": "1.0",
                "change_summary_en": (
                    "The time limit for first contact with the guest was cut from 2 hours to 1 "
                    "hour."
                ),
                "change_summary_zh": "首次联系客人的时限由2小时缩短为1小时。",
                "steps": [
                    {
                        "text_en": (
                            "Listen to the guest calmly without interrupting, apologise for the "
                            "inconvenience and thank them for telling you."
                        ),
                        "text_zh": (
                            "耐心倾听，不打断客人，对给客人带来的不便表示歉意，并感谢客人提出意见。"
                        ),
                        "note_en": "",
                        "note_zh": "",
                        "kind": "step",
                        "key_point": False,
                    },
                    {
                        "text_en": (
                            "Log every complaint in the complaint log, however small: date and "
                            "time, guest name and room number, channel (in person, phone, email, "
                            "social media, online travel site) and a short description."
                        ),
                        "text_zh": (
                            "无论大小，每一宗投诉都必须登记在投诉记录表中：日期和时间、"
                            "客人姓名及房号、投诉渠道（当面、电话、电子邮件、社交媒体、"
                            "在线旅游平台）及简要描述。"
                        ),
                        "note_en": "",
                        "note_zh": "",
                        "kind": "step",
                        "key_point": True,
                    },
                    {
                        "text_en": (
                            "Classify the complaint by category: product, service, price, "
                            "information or other."
                        ),
                        "text_zh": "按类别对投诉进行分类：产品、服务、价格、信息或其他。",
                        "note_en": (
                            "Product: room, food or facilities. Service: staff behaviour or speed. "
                            "Price: rates, bills and charges. Information: wrong or missing "
                            "information."
                        ),
                        "note_zh": (
                            "产品：客房、餐饮或设施；服务：员工态度或效率；价格：房价、账单及收费；"
                            "信息：信息错误或缺失。"
                        ),
                        "kind": "step",
                        "key_point": False,
                    },
                    {
                        "text_en": (
                            "Assess the severity (low, medium or high) and set the priority. "
                            "Complaints about safety, health or discrimination are always high "
                            "priority and go straight to the duty manager."
                        ),
                        "text_zh": (
                            "评估严重程度（低、中、高）并确定处理优先级。涉及安全、"
                            "健康或歧视的投诉一律列为高优先级，并立即上报值班经理。"
                        ),
                        "note_en": "",
                        "note_zh": "",
                        "kind": "step",
                        "key_point": False,
                    },
                    {
                        "text_en": (
                            "Assign the complaint to an owner in the department concerned and "
                            "write their name in the log."
                        ),
                        "text_zh": "将投诉指派给相关部门的负责人，并在记录表中登记其姓名。",
                        "note_en": "",
                        "note_zh": "",
                        "kind": "step",
                        "key_point": False,
                    },
                    {
                        "text_en": (
                            "Contact the guest within 2 hours of receiving the complaint to "
                            "confirm that it has been taken up and to tell them who is handling it."
                        ),
                        "text_zh": (
                            "接到投诉后2小时内联系客人，确认投诉已受理，并告知客人由谁负责处理。"
                        ),
                        "note_en": "",
                        "note_zh": "",
                        "kind": "step",
                        "key_point": True,
                    },
                    {
                        "text_en": (
                            "Investigate: check the facts with the staff involved and the records "
                            "and, where needed, review CCTV footage."
                        ),
                        "text_zh": (
                            "开展调查：向当事员工了解情况，核查相关记录，必要时调阅监控录像。"
                        ),
                        "note_en": "",
                        "note_zh": "",
                        "kind": "step",
                        "key_point": False,
                    },
                    {
                        "text_en": (
                            "Fix the problem and agree the remedy with the guest. Solve simple "
                            "complaints within 24 hours and complex ones within 3 to 5 working "
                            "days."
                        ),
                        "text_zh": (
                            "解决问题，并与客人商定补救办法。简单投诉须在24小时内解决，"
                            "复杂投诉须在3至5个工作日内解决。"
                        ),
                        "note_en": (
                            "Compensation such as a room upgrade, a discount or a refund must be "
                            "approved by the duty manager."
                        ),
                        "note_zh": "升级房型、折扣、退款等补偿须经值班经理批准。",
                        "kind": "step",
                        "key_point": True,
                    },
                    {
                        "text_en": (
                            "Answer the guest through the channel they used, explaining what was "
                            "found and what has been done."
                        ),
                        "text_zh": "通过客人投诉时使用的渠道答复客人，说明调查结果及已采取的措施。",
                        "note_en": "",
                        "note_zh": "",
                        "kind": "step",
                        "key_point": False,
                    },
                    {
                        "text_en": (
                            "Follow up with the guest after the fix (before departure or within 7 "
                            "days) to confirm they are satisfied, then close the case in the log."
                        ),
                        "text_zh": (
                            "问题解决后回访客人（离店前或7天内），确认客人满意后，在记录表中结案。"
                        ),
                        "note_en": "",
                        "note_zh": "",
                        "kind": "step",
                        "key_point": False,
                    },
                    {
                        "text_en": (
                            "Every month, analyse the complaint log by category and department to "
                            "find root causes and repeat problems, and agree preventive actions "
                            "with the department heads."
                        ),
                        "text_zh": (
                            "每月按类别和部门分析投诉记录，找出根本原因及重复发生的问题，"
                            "并与各部门负责人商定预防措施。"
                        ),
                        "note_en": "",
                        "note_zh": "",
                        "kind": "step",
                        "key_point": False,
                    },
                ],
            },
        ],
    },
    {
        "number": "SEC-001",
        "department": "SEC",
        "current_version": "1.0",
        "change_summary_en": "First issue.",
        "change_summary_zh": "首次发布。",
        "title_en": "Fire evacuation drill",
        "title_zh": "消防疏散演练",
        "purpose_en": (
            "To make sure staff know how to raise the alarm and get guests and colleagues out "
            "quickly and safely, and to find and correct weak points in the fire plan through "
            "regular drills."
        ),
        "purpose_zh": (
            "确保员工熟练掌握报警及迅速、安全地疏散宾客和同事的方法，"
            "并通过定期演练发现和纠正消防预案中的薄弱环节。"
        ),
        "scope_en": (
            "Applies to all departments and all shifts of the hotel. The Security department "
            "organises the drills."
        ),
        "scope_zh": "适用于酒店所有部门及所有班次，由保安部负责组织。",
        "responsibilities_en": (
            "Security manager: plans the drill, leads it and writes the drill report.\n"
            "Department heads: make sure their staff on duty take part and know their assembly "
            "point and evacuation duties.\n"
            "General manager: approves the drill plan and the corrective actions."
        ),
        "responsibilities_zh": (
            "保安部经理：策划并组织演练，担任演练总指挥，撰写演练报告。\n"
            "各部门负责人：确保当班员工参加演练，熟知集合点及各自的疏散职责。\n"
            "总经理：审批演练方案及整改措施。"
        ),
        "steps": [
            {
                "text_en": (
                    "Schedule a drill every quarter on every shift (morning, afternoon and night), "
                    "so that each shift practises at least once a quarter."
                ),
                "text_zh": (
                    "每季度对每个班次（早班、中班、夜班）各安排一次演练，"
                    "确保每个班次每季度至少演练一次。"
                ),
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": True,
            },
            {
                "text_en": (
                    "Write the drill plan: who leads the drill, the date and time, how people will "
                    "be alerted (alarm bells, public address, phone), and any special conditions "
                    "to simulate, such as a blocked stairway, a guest in a wheelchair or a power "
                    "cut."
                ),
                "text_zh": (
                    "制定演练方案：明确演练总指挥、日期和时间、报警方式（警铃、应急广播、电话），"
                    "以及需要模拟的特殊情况，如楼梯被堵、轮椅客人或停电。"
                ),
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
            {
                "text_en": (
                    "Inform the fire control room, the front desk and, where required, the local "
                    "fire service in advance, so that guests can be told a drill is taking place."
                ),
                "text_zh": (
                    "提前通知消防控制室、总台，并按规定通知当地消防部门，"
                    "以便向客人说明正在进行演练。"
                ),
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
            {
                "text_en": (
                    "Record the names of the staff on duty and of the staff taking part in the "
                    "drill."
                ),
                "text_zh": "登记当班员工及参加演练员工的名单。",
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
            {
                "text_en": "Start the drill and the stopwatch at the moment the alarm is raised.",
                "text_zh": "发出警报的同时开始演练并启动计时。",
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
            {
                "text_en": (
                    "Staff follow the fire plan: close windows and doors, and guide guests down "
                    "the nearest safe stairway to the assembly point."
                ),
                "text_zh": "员工按消防预案行动：关闭门窗，引导客人经最近的安全楼梯疏散至集合点。",
                "note_en": (
                    "Never use the lifts during an evacuation. Nobody goes back into the building "
                    "until the drill leader gives the all-clear."
                ),
                "note_zh": "疏散时严禁乘坐电梯；演练总指挥宣布解除之前，任何人不得返回楼内。",
                "kind": "warning",
                "key_point": True,
            },
            {
                "text_en": (
                    "Floor wardens check every room and area on their floor, including toilets and "
                    'storerooms, and report "floor clear" to the drill leader.'
                ),
                "text_zh": (
                    "各楼层疏散引导员检查本楼层所有房间和区域（包括卫生间和库房），"
                    "并向演练总指挥报告“本层已清空”。"
                ),
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
            {
                "text_en": (
                    "At the assembly point, count heads against the staff list and the in-house "
                    "guest list, and record the number of people evacuated."
                ),
                "text_zh": "在集合点对照员工名单和在住客人名单清点人数，记录疏散人数。",
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": True,
            },
            {
                "text_en": (
                    "Stop the clock when everyone is accounted for and record the time taken to "
                    "evacuate completely."
                ),
                "text_zh": "确认所有人员到齐后停止计时，记录完全疏散所用的时间。",
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
            {
                "text_en": (
                    "Record the weather during the drill and any problems found, such as alarms "
                    "that could not be heard, blocked exits or staff unsure of their role."
                ),
                "text_zh": (
                    "记录演练时的天气情况及发现的问题，如听不到警铃、安全出口堵塞、"
                    "员工不清楚自身职责等。"
                ),
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
            {
                "text_en": (
                    "Hold a short debrief with the department heads straight after the drill."
                ),
                "text_zh": "演练结束后，立即与各部门负责人召开简短讲评会。",
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
            {
                "text_en": (
                    "Write the drill report: strengths, points to improve, and corrective actions, "
                    "each with an owner and a due date."
                ),
                "text_zh": (
                    "撰写演练报告：列明做得好的方面、需要改进之处以及整改措施，"
                    "每项措施须明确责任人和完成期限。"
                ),
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": True,
            },
            {
                "text_en": (
                    "Follow up the corrective actions until they are all closed, and file the "
                    "report with the fire safety records."
                ),
                "text_zh": "跟进整改措施直至全部完成，并将演练报告归入消防安全档案。",
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
        ],
    },
    {
        "number": "FB-002",
        "department": "FB",
        "current_version": "1.0",
        "change_summary_en": "First issue.",
        "change_summary_zh": "首次发布。",
        "title_en": "Restaurant hygiene",
        "title_zh": "餐厅卫生",
        "purpose_en": (
            "To keep the restaurant and its service areas clean and safe, and to prevent food "
            "poisoning and fire."
        ),
        "purpose_zh": "保持餐厅及服务区域清洁、安全，预防食物中毒和火灾。",
        "scope_en": (
            "Applies to all restaurant, bar and kitchen staff in every food and beverage outlet of "
            "the hotel."
        ),
        "scope_zh": "适用于酒店各餐饮营业点的全体餐厅、酒吧及厨房员工。",
        "responsibilities_en": (
            "Outlet manager and chef: make sure the cleaning schedule is followed and sign the "
            "checklists.\n"
            "Stewarding: prepares cleaning equipment and chemicals before each shift.\n"
            "All F&B staff: follow the hygiene rules in this SOP."
        ),
        "responsibilities_zh": (
            "营业点经理及厨师长：确保清洁计划得到执行，并在检查表上签字。\n"
            "管事部：每班开始前备好清洁工具和清洁剂、消毒剂。\n"
            "全体餐饮员工：遵守本SOP的各项卫生要求。"
        ),
        "steps": [
            {
                "text_en": (
                    "Before each shift, prepare the cleaning equipment and chemicals: cloths, "
                    "mops, detergent and disinfectant, correctly diluted and clearly labelled."
                ),
                "text_zh": (
                    "每班开始前备好清洁工具和化学用品：抹布、拖把、清洁剂和消毒剂，"
                    "按规定比例稀释并贴好标签。"
                ),
                "note_en": (
                    "Never mix chemicals, and keep them away from food. Wear gloves when you "
                    "handle disinfectant."
                ),
                "note_zh": "严禁混用化学品，化学品须远离食品存放；接触消毒剂时须戴手套。",
                "kind": "warning",
                "key_point": False,
            },
            {
                "text_en": (
                    "Wash your hands with soap and warm water for at least 20 seconds before "
                    "starting work, after using the toilet, after touching raw food, rubbish or "
                    "money, and after touching your face or hair."
                ),
                "text_zh": (
                    "开始工作前、如厕后、接触生食、垃圾或钱款后、触摸面部或头发后，"
                    "均须用洗手液和温水洗手至少20秒。"
                ),
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": True,
            },
            {
                "text_en": (
                    "Wear a clean uniform, tie back long hair and wear no jewellery except a plain "
                    "ring. Staff with diarrhoea, vomiting, fever or infected cuts must tell their "
                    "manager and must not handle food."
                ),
                "text_zh": (
                    "穿着干净的工作服，长发须束起，除素面戒指外不得佩戴首饰。有腹泻、呕吐、"
                    "发烧或伤口感染的员工须报告经理，不得接触食品。"
                ),
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
            {
                "text_en": (
                    "Clean and disinfect on the schedule: tables, chairs and menus after each "
                    "guest; service counters and food-contact surfaces after each use; floors "
                    "after each meal period; a deep clean of the whole restaurant every week."
                ),
                "text_zh": (
                    "按清洁计划清洁消毒：餐桌、餐椅及菜单在每位客人用餐后清洁；"
                    "服务台及食品接触面每次使用后清洁；地面每餐结束后清洁；餐厅每周彻底清洁一次。"
                ),
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
            {
                "text_en": (
                    "Wash and disinfect crockery, glasses and cutlery after every use, and store "
                    "them covered in a clean, dry cupboard."
                ),
                "text_zh": "餐具、杯具每次使用后须清洗消毒，并加盖存放在清洁干燥的保洁柜内。",
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
            {
                "text_en": (
                    "Keep chilled food at 0 to 5 °C, frozen food at -18 °C or below, and hot food "
                    "for service at 60 °C or above."
                ),
                "text_zh": (
                    "冷藏食品保存温度为0至5°C，冷冻食品为-18°C及以下，待售热食须保持在60°C及以上。"
                ),
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": True,
            },
            {
                "text_en": (
                    "Check and record fridge and freezer temperatures at the start and end of each "
                    "shift, and report any reading out of range to the chef at once."
                ),
                "text_zh": (
                    "每班开始和结束时检查并记录冷藏柜、冷冻柜温度，发现超出范围立即报告厨师长。"
                ),
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
            {
                "text_en": (
                    "Store food covered and labelled with the date, with raw food below cooked "
                    "food, and use stock first in, first out."
                ),
                "text_zh": "食品须加盖存放并标注日期，生食放在熟食下方，遵循先进先出原则。",
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
            {
                "text_en": (
                    "Empty and clean the rubbish bins at the end of each meal period and keep the "
                    "lids closed."
                ),
                "text_zh": "每餐结束后清倒并清洗垃圾桶，垃圾桶须保持加盖。",
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
            {
                "text_en": (
                    "Know where the nearest fire extinguishers and fire blanket are and how to use "
                    "them. At the start of each shift, check that they are in place and not "
                    "blocked."
                ),
                "text_zh": (
                    "熟知最近的灭火器和灭火毯的位置及使用方法；每班开始时检查其是否在位、"
                    "有无被遮挡。"
                ),
                "note_en": (
                    "Never use water on burning oil or fat. Cover the pan with a lid or a fire "
                    "blanket and turn off the heat."
                ),
                "note_zh": "油锅起火严禁用水扑救，应用锅盖或灭火毯覆盖，并关闭热源。",
                "kind": "warning",
                "key_point": True,
            },
            {
                "text_en": (
                    "At the end of each shift, the supervisor checks the area against the hygiene "
                    "checklist and signs it."
                ),
                "text_zh": "每班结束时，主管按卫生检查表检查区域卫生并签字。",
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
        ],
    },
    {
        "number": "FO-001",
        "department": "FO",
        "current_version": "1.0",
        "change_summary_en": "First issue.",
        "change_summary_zh": "首次发布。",
        "title_en": "Guest check-in",
        "title_zh": "宾客入住登记",
        "purpose_en": (
            "To check guests in quickly, warmly and correctly, meet the legal registration "
            "requirements, and make sure the room and the bill are right from the start."
        ),
        "purpose_zh": (
            "快速、热情、准确地为客人办理入住手续，符合法定登记要求，"
            "确保房间和账务从一开始就准确无误。"
        ),
        "scope_en": "Applies to all front desk agents and front office supervisors at reception.",
        "scope_zh": "适用于总台全体接待员及前厅部主管。",
        "responsibilities_en": (
            "Front desk agent: checks guests in following this SOP.\n"
            "Front office supervisor: checks registrations and room status on each shift and "
            "handles exceptions, such as rooms not ready or overbooking."
        ),
        "responsibilities_zh": (
            "前台接待员：按本SOP为客人办理入住。\n"
            "前厅部主管：每班核查入住登记及房态，处理房间未准备好、超额预订等特殊情况。"
        ),
        "steps": [
            {
                "text_en": (
                    "Before the shift, check the arrivals list, the room status and any special "
                    "requests, and pre-assign rooms to expected guests."
                ),
                "text_zh": "班前查看当日预抵客人名单、房态及特殊要求，为预抵客人预排房间。",
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
            {
                "text_en": (
                    "Greet the guest within 10 seconds of their arrival at the desk, with eye "
                    "contact and a smile, and welcome them to the hotel."
                ),
                "text_zh": "客人到达总台10秒内，目光接触、面带微笑地问候客人，欢迎客人光临。",
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
            {
                "text_en": (
                    "Ask for the guest's name and find the reservation. Confirm the room type, "
                    "number of nights, rate and departure date."
                ),
                "text_zh": "询问客人姓名，查找预订信息，与客人确认房型、入住天数、房价及离店日期。",
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
            {
                "text_en": (
                    "Ask every guest staying in the room for a valid identity document (ID card or "
                    "passport), check it, and register each guest as the law requires."
                ),
                "text_zh": (
                    "请每位入住客人出示有效身份证件（身份证或护照），核验后按法律规定逐一登记。"
                ),
                "note_en": (
                    "Foreign guests must be registered and reported to the police within the time "
                    "limit set by law."
                ),
                "note_zh": "境外客人须在法定时限内完成住宿登记并报送公安机关。",
                "kind": "step",
                "key_point": True,
            },
            {
                "text_en": (
                    "Take a deposit or a pre-authorisation on the guest's card according to the "
                    "hotel's credit policy, and explain it to the guest."
                ),
                "text_zh": "按酒店信用政策收取押金或对客人的银行卡进行预授权，并向客人说明。",
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": True,
            },
            {
                "text_en": "Ask the guest to check and sign the registration card.",
                "text_zh": "请客人核对并签署入住登记单。",
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
            {
                "text_en": (
                    "Allocate the room, make sure the system shows it as vacant and inspected, and "
                    "encode the key cards."
                ),
                "text_zh": "分配房间，确认系统中该房为已检查的空净房，然后制作房卡。",
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
            {
                "text_en": (
                    "Hand over the key cards in their folder, show the guest the room number "
                    "written on the folder, and explain breakfast times, Wi-Fi and the main hotel "
                    "facilities."
                ),
                "text_zh": (
                    "将房卡装入房卡套交给客人，向客人指示房卡套上写明的房号，并介绍早餐时间、"
                    "无线网络及酒店主要设施。"
                ),
                "note_en": (
                    "Never say the room number aloud where other people can hear it. This protects "
                    "the guest's safety."
                ),
                "note_zh": "为保障客人安全，切勿大声报出房号，以免被旁人听到。",
                "kind": "warning",
                "key_point": True,
            },
            {
                "text_en": "Offer help with the luggage and show the guest the way to the lifts.",
                "text_zh": "为客人提供行李服务，并指引客人前往电梯。",
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
            {
                "text_en": (
                    "Check that the room status has changed to occupied, and record any special "
                    "requests in the guest profile."
                ),
                "text_zh": "确认房态已更新为住客房，并将客人的特殊要求记入客史档案。",
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
            {
                "text_en": (
                    "Within 15 minutes, phone the room to ask whether everything is to the guest's "
                    "satisfaction (courtesy call)."
                ),
                "text_zh": "客人入住后15分钟内致电客房，询问客人对房间是否满意（礼节性回访）。",
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
        ],
    },
    {
        "number": "HK-005",
        "department": "HK",
        "current_version": "1.0",
        "change_summary_en": "First issue.",
        "change_summary_zh": "首次发布。",
        "title_en": "Lost and found",
        "title_zh": "失物招领",
        "purpose_en": (
            "To record, store safely and return property that guests leave behind, so that nothing "
            "goes missing and every item can be traced."
        ),
        "purpose_zh": (
            "对客人遗留物品进行登记、妥善保管并及时归还，确保物品不丢失、每件物品均可追溯。"
        ),
        "scope_en": (
            "Applies to all staff who find property in guest rooms or public areas, and to the "
            "housekeeping desk, which keeps the lost-and-found store."
        ),
        "scope_zh": "适用于在客房或公共区域拾获物品的全体员工，以及负责保管失物的客房服务中心。",
        "responsibilities_en": (
            "Finder: hands the item in at once and never keeps it.\n"
            "Housekeeping coordinator: records, stores and returns items and writes the daily "
            "report.\n"
            "Executive housekeeper: approves the return of valuables and the disposal of unclaimed "
            "items."
        ),
        "responsibilities_zh": (
            "拾获人：立即上交物品，不得私自留存。\n"
            "客房服务中心文员：负责物品的登记、保管、归还，并填写每日报告。\n"
            "行政管家：审批贵重物品的归还及逾期无人认领物品的处理。"
        ),
        "steps": [
            {
                "text_en": (
                    "When you find an item left in a room, never keep it. Note the room number, "
                    "where you found it, the date and the time."
                ),
                "text_zh": (
                    "在客房内发现客人遗留物品时，严禁私自留存；记下房号、拾获位置、日期和时间。"
                ),
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": True,
            },
            {
                "text_en": (
                    "If the guest has only just checked out, call the front desk at once so that "
                    "the guest can be contacted before leaving the hotel."
                ),
                "text_zh": "如客人刚办理退房，立即致电总台，以便在客人离店前与其联系。",
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
            {
                "text_en": (
                    "Hand the item to the housekeeping desk as soon as possible and before the end "
                    "of your shift."
                ),
                "text_zh": "尽快将物品交到客房服务中心，最迟不得超过当班结束时间。",
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
            {
                "text_en": (
                    "The coordinator records the item in the lost-and-found log under a serial "
                    "number: description, room or area, finder, date and time. The finder and the "
                    "coordinator both sign."
                ),
                "text_zh": (
                    "客房服务中心文员在失物登记簿上为物品编号登记：物品描述、房号或区域、拾获人、"
                    "日期和时间，拾获人与文员双方签字。"
                ),
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
            {
                "text_en": (
                    "Put the item in a sealed bag labelled with its serial number and keep it in "
                    "the locked lost-and-found store. Valuables (cash, jewellery, documents, "
                    "electronic devices) go in the safe."
                ),
                "text_zh": (
                    "将物品装入密封袋，贴上编号标签，存放在上锁的失物储藏室；贵重物品（现金、首饰、"
                    "证件、电子产品）须存入保险柜。"
                ),
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": True,
            },
            {
                "text_en": (
                    "Perishable food and drink are logged and then thrown away after 24 hours."
                ),
                "text_zh": "食品、饮料等易腐物品登记后保留24小时，之后予以处理。",
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
            {
                "text_en": (
                    "List all items found that day in the daily lost-and-found report and send it "
                    "to the front office and the executive housekeeper."
                ),
                "text_zh": "将当日所有拾获物品列入失物招领日报，报送前厅部及行政管家。",
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
            {
                "text_en": (
                    "When a guest asks about an item, ask them to describe it, and check the "
                    "description against the log before confirming."
                ),
                "text_zh": "客人查询失物时，先请客人描述物品特征，与登记簿核对无误后方可确认。",
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
            {
                "text_en": (
                    "Return the item only after checking the owner's identity; the guest signs the "
                    "log on collection. If the item is sent by courier, the guest pays the postage "
                    "and the tracking number is recorded."
                ),
                "text_zh": (
                    "核实失主身份后方可归还，客人领取时须在登记簿上签字。如需快递寄送，"
                    "邮费由客人承担，并登记快递单号。"
                ),
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": True,
            },
            {
                "text_en": (
                    "Keep unclaimed items for the holding period: 3 months for ordinary items and "
                    "6 months for valuables."
                ),
                "text_zh": "无人认领物品的保管期限：一般物品3个月，贵重物品6个月。",
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
            {
                "text_en": (
                    "After the holding period, dispose of the items with the executive "
                    "housekeeper's approval (donate, destroy, or hand over to the police where the "
                    "law requires) and record the disposal in the log."
                ),
                "text_zh": (
                    "保管期满后，经行政管家批准对物品进行处理（捐赠、销毁，或依法上交公安机关），"
                    "并在登记簿上记录处理情况。"
                ),
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
        ],
    },
    {
        "number": "HK-004",
        "department": "HK",
        "current_version": "1.0",
        "change_summary_en": "First issue.",
        "change_summary_zh": "首次发布。",
        "title_en": "Linen handling",
        "title_zh": "布草管理",
        "purpose_en": (
            "To handle soiled and clean linen hygienically, keep control of the linen stock, and "
            "keep losses and damage to a minimum."
        ),
        "purpose_zh": "规范脏布草和干净布草的卫生处理，控制布草库存，把丢失和损坏降到最低。",
        "scope_en": (
            "Applies to room attendants, linen room staff and laundry staff who handle guest-room "
            "and restaurant linen."
        ),
        "scope_zh": "适用于处理客房及餐厅布草的客房服务员、布草房员工和洗衣房员工。",
        "responsibilities_en": (
            "Room attendant: strips beds and bags soiled linen correctly.\n"
            "Linen room attendant: counts linen out and in, and records losses and damage.\n"
            "Laundry supervisor: makes sure the washing and disinfection cycle is followed.\n"
            "Executive housekeeper: runs the monthly linen stock-take."
        ),
        "responsibilities_zh": (
            "客房服务员：按规定撤换脏布草并装袋。\n"
            "布草房服务员：负责布草收发清点，登记丢失和损坏。\n"
            "洗衣房主管：确保按规定的洗涤消毒程序操作。\n"
            "行政管家：组织每月布草盘点。"
        ),
        "steps": [
            {
                "text_en": (
                    "Wear gloves when you strip beds and handle soiled linen. Shake out sheets "
                    "carefully to check for guest belongings."
                ),
                "text_zh": "撤床及处理脏布草时须戴手套。小心抖开床单，检查是否夹带客人物品。",
                "note_en": (
                    "Check for sharp objects such as needles or broken glass before handling "
                    "linen, and never carry soiled linen against your body."
                ),
                "note_zh": (
                    "处理布草前检查是否夹有针头、碎玻璃等尖锐物品；搬运脏布草时不得贴身抱持。"
                ),
                "kind": "warning",
                "key_point": False,
            },
            {
                "text_en": (
                    "Collect soiled linen separately from clean linen, in the soiled-linen bag on "
                    "the trolley. Never put soiled linen on the floor or use it to clean the room."
                ),
                "text_zh": (
                    "脏布草须与干净布草分开收集，放入布草车上的脏布草袋内；"
                    "严禁将脏布草扔在地上或用来擦拭房间。"
                ),
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": True,
            },
            {
                "text_en": (
                    "Put heavily stained or contaminated linen (blood, vomit or other body fluids) "
                    "in a separate, clearly marked bag."
                ),
                "text_zh": (
                    "有严重污渍或被污染（血迹、呕吐物或其他体液）的布草须单独装入有明显标识的袋内。"
                ),
                "note_en": (
                    "Treat contaminated linen as infectious: seal the bag and tell the laundry so "
                    "that it is washed separately."
                ),
                "note_zh": "被污染的布草按感染性布草处理：扎紧袋口，并通知洗衣房单独洗涤。",
                "kind": "warning",
                "key_point": False,
            },
            {
                "text_en": (
                    "Count the soiled linen by item (sheets, duvet covers, pillowcases, towels) "
                    "and write the numbers on the linen exchange sheet."
                ),
                "text_zh": "按品种（床单、被套、枕套、毛巾）清点脏布草，将数量填写在布草交接单上。",
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
            {
                "text_en": (
                    "Send the soiled linen to the laundry at the agreed times. The laundry checks "
                    "the count and signs the exchange sheet."
                ),
                "text_zh": "按规定时间将脏布草送至洗衣房，洗衣房核对数量后在交接单上签字。",
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": True,
            },
            {
                "text_en": (
                    "The laundry sorts the linen by type and degree of soiling, then washes and "
                    "disinfects it on the correct programme, for example with a thermal "
                    "disinfection stage of at least 71 °C for 3 minutes or 65 °C for 10 minutes."
                ),
                "text_zh": (
                    "洗衣房按布草类别和脏污程度分拣，选用正确的程序洗涤消毒，"
                    "例如热力消毒阶段水温不低于71°C并保持3分钟，或不低于65°C并保持10分钟。"
                ),
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": True,
            },
            {
                "text_en": (
                    "Dry, iron and fold the linen and check every piece for stains, holes and "
                    "wear. Send stained pieces back for rewashing and take damaged pieces out of "
                    "use."
                ),
                "text_zh": (
                    "布草经烘干、熨烫、折叠后逐件检查有无污渍、破洞及磨损；有污渍的送回返洗，"
                    "破损的停止使用。"
                ),
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
            {
                "text_en": (
                    "Record linen losses, damage and rewashes in the linen log, with the cause "
                    "where known (guest damage, laundry damage, missing)."
                ),
                "text_zh": (
                    "在布草记录本中登记布草丢失、损坏及返洗情况，并注明原因（客人损坏、洗涤损坏、"
                    "丢失）。"
                ),
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
            {
                "text_en": (
                    "Return the clean linen to the linen room, count it against the exchange "
                    "sheet, and issue it to the floors one clean piece for each soiled piece."
                ),
                "text_zh": (
                    "干净布草送回布草房后，对照交接单清点，并按“以脏换净、一换一”"
                    "的原则发放至各楼层。"
                ),
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
            {
                "text_en": (
                    "Store clean linen on clean shelves off the floor, in a dry, ventilated and "
                    "locked room away from soiled linen and chemicals, and issue the oldest stock "
                    "first."
                ),
                "text_zh": (
                    "干净布草须存放在干燥、通风、上锁的布草房内的清洁货架上，不得接触地面，"
                    "并远离脏布草和化学品；按先进先出原则发放。"
                ),
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
            {
                "text_en": (
                    "Count all linen every month and report the loss rate and par levels to the "
                    "executive housekeeper."
                ),
                "text_zh": "每月盘点全部布草，并将损耗率及配备量（par）情况报告行政管家。",
                "note_en": "",
                "note_zh": "",
                "kind": "step",
                "key_point": False,
            },
        ],
    },
]
