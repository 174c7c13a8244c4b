/**
 * Every route module under app/api, by its URL path: what the API document is built from.
 * Hand-kept; app/api/route-list.test.ts fails when a route file is missing or mapped to the wrong path.
 */
import * as audit from './audit/route';
import * as authNextauth from './auth/[...nextauth]/route';
import * as camerasCameraIdLastFrame from './cameras/[cameraId]/last-frame/route';
import * as camerasCameraId from './cameras/[cameraId]/route';
import * as camerasCameraIdTest from './cameras/[cameraId]/test/route';
import * as camerasCameraIdToken from './cameras/[cameraId]/token/route';
import * as cameras from './cameras/route';
import * as coursesCourseIdClassMood from './courses/[courseId]/class-mood/route';
import * as coursesCourseIdEnrollmentsStudentId from './courses/[courseId]/enrollments/[studentId]/route';
import * as coursesCourseIdEnrollments from './courses/[courseId]/enrollments/route';
import * as coursesCourseIdNotificationsRouteId from './courses/[courseId]/notifications/[routeId]/route';
import * as coursesCourseIdNotifications from './courses/[courseId]/notifications/route';
import * as coursesCourseId from './courses/[courseId]/route';
import * as coursesCourseIdTimetablesTimetableId from './courses/[courseId]/timetables/[timetableId]/route';
import * as coursesCourseIdTimetablesPreview from './courses/[courseId]/timetables/preview/route';
import * as coursesCourseIdTimetables from './courses/[courseId]/timetables/route';
import * as courses from './courses/route';
import * as demo from './demo/route';
import * as devicesDeviceIdFrames from './devices/[deviceId]/frames/route';
import * as devicesDeviceIdHeartbeat from './devices/[deviceId]/heartbeat/route';
import * as health from './health/route';
import * as meDataCopy from './me/data-copy/route';
import * as meDisputes from './me/disputes/route';
import * as meErasure from './me/erasure/route';
import * as me from './me/route';
import * as metrics from './metrics/route';
import * as openapiJson from './openapi.json/route';
import * as ready from './ready/route';
import * as reportsMatrix from './reports/matrix/route';
import * as reports from './reports/route';
import * as sessionsSessionIdAttendanceAttendanceIdLiveness from './sessions/[sessionId]/attendance/[attendanceId]/liveness/route';
import * as sessionsSessionIdAttendanceAttendanceId from './sessions/[sessionId]/attendance/[attendanceId]/route';
import * as sessionsSessionIdAttendance from './sessions/[sessionId]/attendance/route';
import * as sessionsSessionIdDisputesDisputeId from './sessions/[sessionId]/disputes/[disputeId]/route';
import * as sessionsSessionIdDisputes from './sessions/[sessionId]/disputes/route';
import * as sessionsSessionIdEvents from './sessions/[sessionId]/events/route';
import * as sessionsSessionIdMood from './sessions/[sessionId]/mood/route';
import * as sessionsSessionId from './sessions/[sessionId]/route';
import * as sessionsSessionIdStart from './sessions/[sessionId]/start/route';
import * as sessionsSessionIdStop from './sessions/[sessionId]/stop/route';
import * as sessionsSessionIdUnknownUnknownIdLiveness from './sessions/[sessionId]/unknown/[unknownId]/liveness/route';
import * as sessionsSessionIdUnknownUnknownId from './sessions/[sessionId]/unknown/[unknownId]/route';
import * as sessionsSessionIdUnknown from './sessions/[sessionId]/unknown/route';
import * as sessions from './sessions/route';
import * as studentsStudentIdBiometrics from './students/[studentId]/biometrics/route';
import * as studentsStudentIdErasure from './students/[studentId]/erasure/route';
import * as studentsStudentIdPhotosPhotoId from './students/[studentId]/photos/[photoId]/route';
import * as studentsStudentIdPhotos from './students/[studentId]/photos/route';
import * as studentsStudentId from './students/[studentId]/route';
import * as studentsImport from './students/import/route';
import * as students from './students/route';
import * as unknownFacesUnknownIdAssign from './unknown-faces/[unknownId]/assign/route';
import * as unknownFacesUnknownIdImage from './unknown-faces/[unknownId]/image/route';
import * as unknownFacesUnknownIdSuggestion from './unknown-faces/[unknownId]/suggestion/route';
import * as unknownFacesSuggestions from './unknown-faces/suggestions/route';
import * as usersUserIdPassword from './users/[userId]/password/route';
import * as usersUserId from './users/[userId]/route';
import * as users from './users/route';

export const API_ROUTES: Record<string, Record<string, unknown>> = {
  '/api/audit': audit,
  '/api/auth/{nextauth}': authNextauth,
  '/api/cameras/{cameraId}/last-frame': camerasCameraIdLastFrame,
  '/api/cameras/{cameraId}': camerasCameraId,
  '/api/cameras/{cameraId}/test': camerasCameraIdTest,
  '/api/cameras/{cameraId}/token': camerasCameraIdToken,
  '/api/cameras': cameras,
  '/api/courses/{courseId}/class-mood': coursesCourseIdClassMood,
  '/api/courses/{courseId}/enrollments/{studentId}': coursesCourseIdEnrollmentsStudentId,
  '/api/courses/{courseId}/enrollments': coursesCourseIdEnrollments,
  '/api/courses/{courseId}/notifications/{routeId}': coursesCourseIdNotificationsRouteId,
  '/api/courses/{courseId}/notifications': coursesCourseIdNotifications,
  '/api/courses/{courseId}': coursesCourseId,
  '/api/courses/{courseId}/timetables/{timetableId}': coursesCourseIdTimetablesTimetableId,
  '/api/courses/{courseId}/timetables/preview': coursesCourseIdTimetablesPreview,
  '/api/courses/{courseId}/timetables': coursesCourseIdTimetables,
  '/api/courses': courses,
  '/api/demo': demo,
  '/api/devices/{deviceId}/frames': devicesDeviceIdFrames,
  '/api/devices/{deviceId}/heartbeat': devicesDeviceIdHeartbeat,
  '/api/health': health,
  '/api/me/data-copy': meDataCopy,
  '/api/me/disputes': meDisputes,
  '/api/me/erasure': meErasure,
  '/api/me': me,
  '/api/metrics': metrics,
  '/api/openapi.json': openapiJson,
  '/api/ready': ready,
  '/api/reports/matrix': reportsMatrix,
  '/api/reports': reports,
  '/api/sessions/{sessionId}/attendance/{attendanceId}/liveness': sessionsSessionIdAttendanceAttendanceIdLiveness,
  '/api/sessions/{sessionId}/attendance/{attendanceId}': sessionsSessionIdAttendanceAttendanceId,
  '/api/sessions/{sessionId}/attendance': sessionsSessionIdAttendance,
  '/api/sessions/{sessionId}/disputes/{disputeId}': sessionsSessionIdDisputesDisputeId,
  '/api/sessions/{sessionId}/disputes': sessionsSessionIdDisputes,
  '/api/sessions/{sessionId}/events': sessionsSessionIdEvents,
  '/api/sessions/{sessionId}/mood': sessionsSessionIdMood,
  '/api/sessions/{sessionId}': sessionsSessionId,
  '/api/sessions/{sessionId}/start': sessionsSessionIdStart,
  '/api/sessions/{sessionId}/stop': sessionsSessionIdStop,
  '/api/sessions/{sessionId}/unknown/{unknownId}/liveness': sessionsSessionIdUnknownUnknownIdLiveness,
  '/api/sessions/{sessionId}/unknown/{unknownId}': sessionsSessionIdUnknownUnknownId,
  '/api/sessions/{sessionId}/unknown': sessionsSessionIdUnknown,
  '/api/sessions': sessions,
  '/api/students/{studentId}/biometrics': studentsStudentIdBiometrics,
  '/api/students/{studentId}/erasure': studentsStudentIdErasure,
  '/api/students/{studentId}/photos/{photoId}': studentsStudentIdPhotosPhotoId,
  '/api/students/{studentId}/photos': studentsStudentIdPhotos,
  '/api/students/{studentId}': studentsStudentId,
  '/api/students/import': studentsImport,
  '/api/students': students,
  '/api/unknown-faces/{unknownId}/assign': unknownFacesUnknownIdAssign,
  '/api/unknown-faces/{unknownId}/image': unknownFacesUnknownIdImage,
  '/api/unknown-faces/{unknownId}/suggestion': unknownFacesUnknownIdSuggestion,
  '/api/unknown-faces/suggestions': unknownFacesSuggestions,
  '/api/users/{userId}/password': usersUserIdPassword,
  '/api/users/{userId}': usersUserId,
  '/api/users': users,
};
