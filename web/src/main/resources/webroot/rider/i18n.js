// The rider app's strings in English and Simplified Chinese. The language follows the browser
// (navigator.language zh* → 简体中文) until the rider switches; the choice is remembered.

const STRINGS = {
  en: {
    appTitle: 'Tracklane rider',
    language: '中文',
    languageLabel: 'Switch to Chinese',
    signIn: 'Sign in',
    signInHint: 'Riders: race for tasks, ride, get the bonus.',
    username: 'Username',
    password: 'Password',
    signOut: 'Sign out',
    signInFailed: 'Sign-in failed: {message}',
    notRider: 'This app is for riders; {user} is {role}.',
    tabOffers: 'Offers',
    tabTasks: 'My tasks',
    tabEarnings: 'Earnings',
    sortBy: 'Sort by',
    sortDistance: 'Distance',
    sortBonus: 'Bonus',
    live: 'Live',
    connecting: 'Connecting…',
    offline: 'Offline',
    noOffers: 'No open tasks right now. New ones appear here at once.',
    claim: 'Claim',
    claiming: 'Claiming…',
    won: 'Won! The task is yours: {title}',
    taken: 'Taken: another rider was faster ({title})',
    claimFailed: 'Could not claim: {message}',
    distanceKm: '{km} km away',
    distanceM: '{m} m away',
    distanceUnknown: 'distance unknown',
    window: 'until {time}',
    routeLength: 'route {km} km',
    noTasks: 'You have no tasks yet. Claim an offer.',
    start: 'Start',
    open: 'Ride',
    status_claimed: 'Claimed',
    status_in_progress: 'In progress',
    status_needs_review: 'Held for review',
    status_completed: 'Completed',
    status_cancelled: 'Cancelled',
    status_expired: 'Expired',
    status_open: 'Open',
    startFailed: 'Could not start: {message}',
    riding: 'Riding',
    back: 'Back',
    fixesRecorded: 'Fixes recorded: {n}',
    fixesPending: 'Waiting to upload: {n}',
    fixesUploaded: 'Stored by the gateway: {n}',
    uploadOffline: 'No connection: fixes are kept on this phone and sent when it is back.',
    uploadRefused: 'The gateway refused fixes: {message}',
    gpsWaiting: 'Waiting for GPS…',
    gpsDenied: 'Location is off: allow it to ride ({message}).',
    gpsNone: 'This browser has no location service.',
    wakeOn: 'Screen kept on',
    wakeOff: 'Screen may turn off (no wake lock)',
    progressWaiting: 'Progress: waiting for the gateway…',
    progressOffline: 'Progress: no connection to the gateway, retrying…',
    progressLine: 'Progress {percent}% · ETA {eta}',
    progressArrived: 'Progress {percent}% · arrived',
    etaUnknown: 'unknown',
    etaUnderMinute: 'under 1 min',
    etaMinutes: '{m} min',
    etaHours: '{h} h {m} min',
    checkpoints: 'Checkpoints',
    receipt: 'Receipt',
    receiptPick: 'Photograph or choose a receipt',
    receiptUploading: 'Uploading…',
    receiptReading: 'Reading the receipt…',
    receiptAmount: 'Receipt read: {amount} {currency}',
    receiptReview: 'Sent for review',
    receiptFailed: 'Receipt upload failed: {message}',
    complete: 'Complete',
    completing: 'Checking your ride…',
    completed: 'Completed! Bonus {amount} {currency} credited.',
    completedHeld: 'Arrived, but held for review: no bonus until an admin approves it.',
    completeFailed: 'Not completed: {message}',
    earnings: 'Earnings',
    noEarnings: 'No earnings yet.',
    bonusFor: 'Bonus',
    sessionEnded: 'Your session has ended. Please sign in again.',
  },
  'zh-CN': {
    appTitle: 'Tracklane 骑手',
    language: 'English',
    languageLabel: '切换到英文',
    signIn: '登录',
    signInHint: '骑手：抢任务、骑行、赚奖金。',
    username: '用户名',
    password: '密码',
    signOut: '退出',
    signInFailed: '登录失败：{message}',
    notRider: '本应用仅供骑手使用；{user} 的角色是 {role}。',
    tabOffers: '任务',
    tabTasks: '我的任务',
    tabEarnings: '收入',
    sortBy: '排序',
    sortDistance: '距离',
    sortBonus: '奖金',
    live: '实时',
    connecting: '连接中…',
    offline: '离线',
    noOffers: '暂无可抢任务，新任务会立即出现在这里。',
    claim: '抢单',
    claiming: '抢单中…',
    won: '抢到了！任务归你：{title}',
    taken: '已被抢走：其他骑手更快（{title}）',
    claimFailed: '抢单失败：{message}',
    distanceKm: '距离 {km} 公里',
    distanceM: '距离 {m} 米',
    distanceUnknown: '距离未知',
    window: '截止 {time}',
    routeLength: '路线 {km} 公里',
    noTasks: '还没有任务，去抢一个吧。',
    start: '开始',
    open: '骑行',
    status_claimed: '已抢到',
    status_in_progress: '进行中',
    status_needs_review: '待审核',
    status_completed: '已完成',
    status_cancelled: '已取消',
    status_expired: '已过期',
    status_open: '开放',
    startFailed: '无法开始：{message}',
    riding: '骑行中',
    back: '返回',
    fixesRecorded: '已记录定位：{n}',
    fixesPending: '待上传：{n}',
    fixesUploaded: '网关已保存：{n}',
    uploadOffline: '无网络：定位保存在手机上，恢复后自动上传。',
    uploadRefused: '网关拒绝了定位：{message}',
    gpsWaiting: '等待 GPS…',
    gpsDenied: '定位已关闭：请允许定位后骑行（{message}）。',
    gpsNone: '此浏览器不支持定位。',
    wakeOn: '屏幕保持常亮',
    wakeOff: '屏幕可能熄灭（不支持常亮）',
    progressWaiting: '进度：等待网关数据…',
    progressOffline: '进度：与网关的连接已断开，正在重试…',
    progressLine: '进度 {percent}% · 预计到达 {eta}',
    progressArrived: '进度 {percent}% · 已到达',
    etaUnknown: '未知',
    etaUnderMinute: '不到 1 分钟',
    etaMinutes: '{m} 分钟',
    etaHours: '{h} 小时 {m} 分钟',
    checkpoints: '检查点',
    receipt: '小票',
    receiptPick: '拍摄或选择小票',
    receiptUploading: '上传中…',
    receiptReading: '正在识别小票…',
    receiptAmount: '识别金额：{amount} {currency}',
    receiptReview: '已提交人工审核',
    receiptFailed: '小票上传失败：{message}',
    complete: '完成',
    completing: '正在核对骑行…',
    completed: '已完成！奖金 {amount} {currency} 已入账。',
    completedHeld: '已到达，但需审核：管理员批准后才发放奖金。',
    completeFailed: '未完成：{message}',
    earnings: '收入',
    noEarnings: '暂无收入。',
    bonusFor: '奖金',
    sessionEnded: '会话已结束，请重新登录。',
  },
};

export const LANGUAGES = Object.keys(STRINGS);
const KEY = 'tracklane.rider.lang';

/** The language for a browser language list: zh* → zh-CN, else en. */
export function pickLanguage(saved, browserLanguages) {
  if (saved && STRINGS[saved]) return saved;
  for (const l of browserLanguages ?? []) {
    if (/^zh\b/i.test(l)) return 'zh-CN';
    if (/^en\b/i.test(l)) return 'en';
  }
  return 'en';
}

let current = pickLanguage(
  typeof localStorage !== 'undefined' ? localStorage.getItem(KEY) : null,
  typeof navigator !== 'undefined' ? (navigator.languages?.length ? navigator.languages : [navigator.language]) : [],
);

export const language = () => current;

export function setLanguage(lang) {
  if (!STRINGS[lang]) return;
  current = lang;
  try {
    localStorage.setItem(KEY, lang);
  } catch {
    // private mode: the choice lasts this page
  }
}

/** The string for key with {name} placeholders filled (values as given, as text). */
export function t(key, vars = {}) {
  const s = STRINGS[current][key] ?? STRINGS.en[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
}

export const hasKey = (lang, key) => key in (STRINGS[lang] ?? {});
export const keys = (lang) => Object.keys(STRINGS[lang] ?? {});
